// Runs the suites in the order TEST_ORDER asks for: unset keeps Jest's (slowest first, by the
// timings it cached on earlier runs), `reverse` reverses that, `random` shuffles them with the seed
// in TEST_ORDER_SEED (printed, so an order that fails can be replayed). A clean clone has no cached
// timings and so runs another order than a developer's machine: every suite must pass in any.
const Sequencer = require('@jest/test-sequencer').default;

class OrderSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const order = process.env.TEST_ORDER;
    if (order === 'reverse') return [...sorted].reverse();
    if (order !== 'random') return sorted;
    let seed = Number(process.env.TEST_ORDER_SEED ?? Date.now() % 2147483647) || 1;
    process.stdout.write(`\nsuites in random order, TEST_ORDER_SEED=${seed}\n`);
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647; // Park-Miller
    const shuffled = [...sorted];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return shuffled;
  }
}

module.exports = OrderSequencer;
