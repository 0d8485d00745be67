#!/usr/bin/env node
/**
 * Sums a V8 CPU profile (`node --cpu-prof`, as `BENCH_PROFILE=dir npm run bench` writes them) by
 * where the time was spent: each npm package by name, the service's own code by library
 * (libs/platform, libs/interviews, …), Node's internals, the garbage collector and idle.
 * Self time only (a function's own samples, not its callees'), so the rows add up to the whole.
 *
 *   node bench/profile-summary.cjs <file.cpuprofile> [requests]
 *
 * With `requests` (how many the profiled run answered) it prints microseconds per request too.
 */
const { readFileSync } = require('node:fs');

const [file, requestsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.cjs <file.cpuprofile> [requests]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const requests = requestsArg ? Number(requestsArg) : 0;

function bucketOf(frame) {
  const url = frame.url || '';
  const name = frame.functionName;
  if (!url) {
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
    return '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    // Group the last node_modules segment: a dependency's own dependency is itself.
    const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
    return all[all.length - 1][1];
  }
  const own = /\/(libs\/[^/]+|apps\/[^/]+)\//.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url.replace(/^file:\/\//, '');
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const bucket = bucketOf(node.callFrame);
  self.set(bucket, (self.get(bucket) ?? 0) + (deltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const busy = total - (self.get('(idle)') ?? 0);
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy${requests ? `, ${requests} requests` : ''}`);
console.log(`| where | ms | % of busy |${requests ? ' µs/request |' : ''}`);
console.log(`|---|---:|---:|${requests ? '---:|' : ''}`);
for (const [bucket, micros] of rows) {
  if (bucket === '(idle)') continue;
  const share = (100 * micros) / busy;
  if (share < 0.5) continue;
  console.log(`| ${bucket} | ${(micros / 1000).toFixed(0)} | ${share.toFixed(1)} |${requests ? ` ${(micros / requests).toFixed(1)} |` : ''}`);
}
