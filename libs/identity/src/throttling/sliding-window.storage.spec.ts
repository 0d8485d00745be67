import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingWindowThrottlerStorage } from './sliding-window.storage';

describe('SlidingWindowThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const TTL = 10_000;

  it('counts hits in the window and refuses the one past the limit without counting it', async () => {
    const storage = new SlidingWindowThrottlerStorage();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await storage.increment('user:1', TTL, 3, 0, 'default'));
    expect(answers.map((a) => [a.totalHits, a.isBlocked])).toEqual([[1, false], [2, false], [3, false], [4, true]]);
    // The refusal was not counted: still blocked, still 3 counted (+1 for the refused one).
    expect(await storage.increment('user:1', TTL, 3, 0, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
  });

  it('says how long until the oldest counted hit leaves, and admits again once it has', async () => {
    const storage = new SlidingWindowThrottlerStorage();
    await storage.increment('k', TTL, 2, 0, 'default');
    jest.advanceTimersByTime(4_000);
    await storage.increment('k', TTL, 2, 0, 'default');
    jest.advanceTimersByTime(1_500);
    expect(await storage.increment('k', TTL, 2, 0, 'default')).toMatchObject({ isBlocked: true, timeToBlockExpire: 5 });
    jest.advanceTimersByTime(4_500); // the first hit leaves the window
    expect(await storage.increment('k', TTL, 2, 0, 'default')).toMatchObject({ isBlocked: false, totalHits: 2 });
  });

  it('keeps callers and throttlers apart', async () => {
    const storage = new SlidingWindowThrottlerStorage();
    await storage.increment('a', TTL, 1, 0, 'default');
    expect((await storage.increment('b', TTL, 1, 0, 'default')).isBlocked).toBe(false);
    expect((await storage.increment('a', TTL, 1, 0, 'sign_in')).isBlocked).toBe(false);
    expect((await storage.increment('a', TTL, 1, 0, 'default')).isBlocked).toBe(true);
  });

  it('gives the same answers as the stock @nestjs/throttler store over a random sequence', async () => {
    const ours = new SlidingWindowThrottlerStorage();
    const stock = new ThrottlerStorageService();
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2_000; i++) {
      const key = `caller:${Math.floor(random() * 3)}`;
      jest.advanceTimersByTime(Math.floor(random() * 400));
      const [a, b] = [await ours.increment(key, TTL, 25, 0, 'default'), await stock.increment(key, TTL, 25, 0, 'default')];
      expect({ totalHits: a.totalHits, isBlocked: a.isBlocked, timeToBlockExpire: a.timeToBlockExpire }).toEqual({
        totalHits: b.totalHits,
        isBlocked: b.isBlocked,
        timeToBlockExpire: b.timeToBlockExpire,
      });
    }
    stock.onApplicationShutdown();
  });

  it('forgets callers whose hits have all expired', async () => {
    const storage = new SlidingWindowThrottlerStorage();
    await storage.increment('gone', TTL, 5, 0, 'default');
    await storage.increment('here', TTL, 5, 0, 'default');
    jest.advanceTimersByTime(TTL - 1);
    await storage.increment('here', TTL, 5, 0, 'default');
    storage.sweep(Date.now() + 2);
    expect(storage.trackedCount).toBe(1);
  });
});
