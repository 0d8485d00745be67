import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/**
 * Webhook targets must be global unicast addresses (SSRF), unless WEBHOOK_ALLOW_PRIVATE=true.
 * Checked when a subscription is saved and again, on the resolved address, before every delivery;
 * the delivery then connects to the very address that was checked (no second DNS lookup, so an
 * answer that changes in between, DNS rebinding, cannot redirect it).
 *
 * The ranges come from ipaddr.js (`range()`, the IANA special-purpose registries); what it calls
 * `unicast` is what remains. On top of that, by hand because no registry lists them:
 * - IPv6 must be in 2000::/3, the only block IANA allocates as global unicast. This refuses every
 *   form that embeds an IPv4 address outside it: IPv4-compatible `::a.b.c.d` (`[::7f00:1]`),
 *   SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, and the discard-only 100::/64.
 * - Inside 2000::/3, the IETF protocol block 2001::/23 (Teredo 2001::/32 among it), 6to4 2002::/16
 *   and the documentation prefixes 2001:db8::/32 and 3fff::/20 are refused.
 * - An IPv4-mapped address (`::ffff:a.b.c.d`) is judged by its IPv4 address.
 * - The host's own interface addresses are refused whatever their range: a webhook could call the API.
 */
const REFUSED_IPV6: [ipaddr.IPv6, number][] = ['2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20'].map((cidr) =>
  ipaddr.IPv6.parseCIDR(cidr),
);
const GLOBAL_IPV6 = ipaddr.IPv6.parseCIDR('2000::/3');

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return null;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** The host's own addresses, normalised; read on each check, since interfaces come and go. */
function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      const parsed = parse(entry.address);
      if (parsed) own.add(parsed.toNormalizedString());
    }
  }
  return own;
}

/** True unless `address` is a global unicast IP address that is not one of this host's own. */
export function isPrivateAddress(address: string): boolean {
  const parsed = parse(address);
  if (!parsed) return true;
  if (parsed.range() !== 'unicast') return true;
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (!v6.match(GLOBAL_IPV6) || REFUSED_IPV6.some((range) => v6.match(range))) return true;
  }
  return ownAddresses().has(parsed.toNormalizedString());
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Either why the URL may not be called, or the addresses it was checked on (null: not pinned). */
export type CheckedTarget = { problem: string } | { problem: null; url: URL; addresses: ResolvedAddress[] | null };

export async function checkTarget(raw: string, allowPrivate: boolean): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be an absolute http(s) URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must be an http(s) URL' };
  if (url.username || url.password) return { problem: 'must not carry credentials' };
  if (allowPrivate) return { problem: null, url, addresses: null };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }]
      : (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  } catch {
    return { problem: 'must name a host that resolves' };
  }
  if (addresses.length === 0) return { problem: 'must name a host that resolves' };
  if (addresses.some((a) => isPrivateAddress(a.address))) return { problem: 'must not point at a loopback or private address' };
  return { problem: null, url, addresses };
}

/** Null when the URL may be called, else why not. */
export async function targetProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
  return (await checkTarget(raw, allowPrivate)).problem;
}

/** A `lookup` for the socket that answers the checked addresses and never asks DNS again. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    const wanted = options?.family === 4 || options?.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const list = wanted.length ? wanted : addresses;
    if (options?.all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  }) as unknown as LookupFunction;
}

/**
 * POSTs `body` to a checked target and answers the status; the receiver's body is never read.
 * Node's http(s) client rather than `fetch`, because it takes a `lookup` per request (fetch needs
 * an undici dispatcher, which Node does not expose). TLS still verifies the certificate for the
 * URL's host name (SNI and `servername` come from the URL, only the address is pinned).
 * Rejects with an error named `TimeoutError` after `timeoutMs`.
 */
export function postToTarget(
  target: Extract<CheckedTarget, { problem: null }>,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<{ status: number }> {
  const { url, addresses } = target;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        ...(addresses ? { lookup: pinnedLookup(addresses) } : {}),
      },
      (res: IncomingMessage) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0 });
        res.destroy();
      },
    );
    // The whole attempt, not only an idle socket, is bounded (as AbortSignal.timeout was for fetch).
    const timer = setTimeout(() => {
      const error = new Error('timed out');
      error.name = 'TimeoutError';
      req.destroy(error);
    }, init.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(init.body);
  });
}
