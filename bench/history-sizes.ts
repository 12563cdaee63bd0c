/**
 * Size of every committed workflow history (test/histories, recorded on the time-skipping server by
 * scripts/record-histories.ts): compact JSON bytes and events, and for the scenarios recorded again on the process
 * kernel, the earlier recording beside it. Prints a markdown table for BENCHMARKS.md.
 *   npx tsx bench/history-sizes.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve('test/histories');
const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
const measure = (file: string) => {
  const history = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { events: unknown[] };
  return { kib: Buffer.byteLength(JSON.stringify(history)) / 1024, events: history.events.length };
};
const cell = (m: { kib: number; events: number }) => `${m.kib.toFixed(0)} KiB (${m.events} events)`;

console.log('| scenario | before the kernel | on the kernel |\n|---|---|---|');
for (const file of files.filter((f) => !f.endsWith('-on-kernel.json'))) {
  const kernel = file.replace(/\.json$/, '-on-kernel.json');
  console.log(`| ${file.replace(/\.json$/, '')} | ${cell(measure(file))} | ${files.includes(kernel) ? cell(measure(kernel)) : '–'} |`);
}
const largest = files.filter((f) => f.endsWith('-on-kernel.json')).map((f) => ({ f, ...measure(f) })).sort((a, b) => b.kib - a.kib)[0];
if (largest) console.log(`\nLargest history on the kernel: ${largest.f.replace(/-on-kernel\.json$/, '')}, ${largest.kib.toFixed(0)} KiB (target < 250 KB).`);
