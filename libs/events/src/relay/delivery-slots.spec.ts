import { concurrencyLimits, DeliverySlots } from './delivery-slots';
import { OutcomeBatch } from './outcome-batch';

describe('DeliverySlots', () => {
  it('gives a subscription one slot until it answers 2xx, then its cap, and one again after a failure', () => {
    const slots = new DeliverySlots({ total: 10, perSubscription: 4 });
    expect(slots.room()).toEqual({ limit: 10, ids: [], inFlight: [], caps: [], defaultCap: 1 });

    slots.take('7');
    expect(slots.room()).toMatchObject({ limit: 9, ids: ['7'], inFlight: [1], caps: [1] });
    slots.release('7', true);
    expect(slots.room()).toMatchObject({ limit: 10, ids: ['7'], inFlight: [0], caps: [4] });

    for (let i = 0; i < 4; i++) slots.take('7');
    expect(slots.room()).toMatchObject({ limit: 6, ids: ['7'], inFlight: [4], caps: [4] });
    slots.release('7', false); // a timeout: back to one slot, three still in flight
    expect(slots.room()).toMatchObject({ limit: 7, ids: ['7'], inFlight: [3], caps: [1] });
    slots.release('7', null); // outcome unknown: standing unchanged
    slots.release('7', null);
    slots.release('7', null);
    // Failing and idle: nothing to remember, the default (one slot) applies.
    expect(slots.room()).toEqual({ limit: 10, ids: [], inFlight: [], caps: [], defaultCap: 1 });
    expect(slots.size).toBe(0);
  });

  it('bounds the attempts in flight in all', () => {
    const slots = new DeliverySlots({ total: 3, perSubscription: 2 });
    for (const id of ['1', '2', '3']) slots.take(id);
    expect(slots.room().limit).toBe(0);
    slots.release('2', false);
    expect(slots.room().limit).toBe(1);
  });

  it('reads WEBHOOK_CONCURRENCY and WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION, refusing nonsense', () => {
    expect(concurrencyLimits({})).toEqual({ total: 256, perSubscription: 4 });
    expect(concurrencyLimits({ WEBHOOK_CONCURRENCY: '64', WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '2' })).toEqual({ total: 64, perSubscription: 2 });
    expect(() => concurrencyLimits({ WEBHOOK_CONCURRENCY: '0' })).toThrow(/WEBHOOK_CONCURRENCY must be a whole number/);
    expect(() => concurrencyLimits({ WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '2.5' })).toThrow(/WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION/);
    expect(() => concurrencyLimits({ WEBHOOK_CONCURRENCY: '4', WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '8' })).toThrow(/must not exceed/);
  });
});

describe('OutcomeBatch', () => {
  it('writes what arrives in the same turn in one statement, and what arrives meanwhile in the next', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const batch = new OutcomeBatch<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [1, 2, 3].map((n) => batch.add(n));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((n) => batch.add(n)); // while the first statement runs
    release();
    await Promise.all([...first, ...second]);
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('fails every item of a failed statement, and goes on with the next', async () => {
    let calls = 0;
    const batch = new OutcomeBatch<number>(async () => {
      if (calls++ === 0) throw new Error('connection lost');
    });
    const failed = Promise.allSettled([batch.add(1), batch.add(2)]);
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(batch.add(3)).resolves.toBeUndefined();
  });

  it('splits a long queue at its maximum', async () => {
    const sizes: number[] = [];
    const batch = new OutcomeBatch<number>(async (items) => void sizes.push(items.length), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batch.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
