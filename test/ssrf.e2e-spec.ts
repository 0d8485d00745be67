import { networkInterfaces } from 'node:os';
import type { TestApp as TestAppType } from '#testing';
import { checkTarget, postToTarget } from '../libs/events/src/webhooks/webhook-target';

// The app under test reads the environment at import time: production's SSRF guard, no relay.
process.env.WEBHOOK_ALLOW_PRIVATE = 'false';
process.env.RELAY = 'off';
/* eslint-disable @typescript-eslint/no-require-imports */
const { TestApp, WebhookReceiver } = require('#testing') as typeof import('#testing');
const { AppModule } = require('../apps/api/src/app.module') as typeof import('../apps/api/src/app.module');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Issue 15, item 5: a webhook may target global unicast addresses only. Every form the attack used
 * is refused when the subscription is saved, the host's own interface addresses too, and a delivery
 * connects to the address that was checked (no second DNS lookup).
 */
const REFUSED = [
  // special-purpose IPv4 ranges
  'http://0.0.0.0/', 'http://10.0.0.1/', 'http://100.64.0.1/', 'http://127.0.0.1/', 'http://169.254.169.254/',
  'http://172.16.0.1/', 'http://192.0.0.1/', 'http://192.168.1.1/', 'http://198.18.0.1/', 'http://224.0.0.1/',
  'http://240.0.0.1/', 'http://255.255.255.255/',
  // documentation and the 6to4 relay anycast
  'http://192.0.2.1/', 'http://198.51.100.7/', 'http://203.0.113.9/', 'http://192.88.99.1/',
  // other spellings of loopback the URL parser turns into 127.0.0.1
  'http://2130706433/', 'http://0x7f.1/', 'http://127.1/',
  // IPv6: loopback, unspecified, unique-local, link-local, multicast
  'http://[::1]/', 'http://[::]/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[ff02::1]/',
  // IPv4-compatible, IPv4-mapped, SIIT
  'http://[::7f00:1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[::ffff:0:127.0.0.1]/',
  // NAT64 of loopback and of the metadata address, and the local-use NAT64 prefix
  'http://[64:ff9b::7f00:1]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[64:ff9b:1::a9fe:a9fe]/',
  // 6to4, Teredo, discard-only, documentation
  'http://[2002:7f00:1::]/', 'http://[2002:c000:0201::1]/', 'http://[2001:0:7f00:1::]/', 'http://[100::1]/',
  'http://[2001:db8::1]/', 'http://[3fff::1]/',
];
const ACCEPTED = ['https://93.184.215.14/hooks', 'http://8.8.8.8/', 'http://[2606:4700:4700::1111]/', 'http://[::ffff:8.8.8.8]/'];

/** Every address of this host's interfaces, loopback or not, as a URL. */
const OWN = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .map((entry) => (entry.family === 'IPv6' ? `http://[${entry.address.replace(/%.*$/, '')}]/` : `http://${entry.address}/`));

describe('SSRF guard: global unicast only, pinned connections', () => {
  let t: TestAppType;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t?.close());

  async function subscribe(url: string) {
    return t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url } } });
  }

  it.each(REFUSED)('refuses a subscription to %s with 400 naming webhook.url', async (url) => {
    const res = await subscribe(url);
    expect({ url, status: res.status, details: res.body?.error?.details }).toEqual({
      url,
      status: 400,
      details: [{ field: 'webhook.url', message: 'must not point at a loopback or private address' }],
    });
  });

  it("refuses every address of the host's own interfaces", async () => {
    expect(OWN.length).toBeGreaterThan(0);
    for (const url of OWN) expect({ url, status: (await subscribe(url)).status }).toEqual({ url, status: 400 });
  });

  it('accepts global unicast addresses, IPv4 and IPv6', async () => {
    for (const url of ACCEPTED) expect({ url, status: (await subscribe(url)).status }).toEqual({ url, status: 201 });
  });

  it('connects to the address that was checked, never resolving the name again', async () => {
    const receiver = new WebhookReceiver();
    const port = new URL(await receiver.start()).port;
    try {
      // `.invalid` never resolves (RFC 6761): the request can only arrive through the pinned address.
      const checked = await checkTarget(`http://rebind.invalid:${port}/hooks`, true);
      if (checked.problem !== null) throw new Error(checked.problem);
      const res = await postToTarget({ ...checked, addresses: [{ address: '127.0.0.1', family: 4 }] }, {
        headers: { 'content-type': 'application/json' },
        body: '{"ok":true}',
        timeoutMs: 5000,
      });
      expect(res.status).toBe(200);
      expect(receiver.received.map((r) => [r.headers.host, r.body])).toEqual([[`rebind.invalid:${port}`, '{"ok":true}']]);
    } finally {
      await receiver.stop();
    }
  });
});
