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
const KERNEL_PATCH = 'search-attributes-on-change';
interface History {
  events: { markerRecordedEventAttributes?: { details?: Record<string, { payloads?: { data?: string }[] }> } }[];
}
/** Recorded on the process kernel: its recorder's first patch marker is in the history. */
const onKernel = (h: History) =>
  h.events.some((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data !== undefined && (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id?: string }).id === KERNEL_PATCH;
  });
const measure = (file: string) => {
  const history = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as History;
  return { kib: Buffer.byteLength(JSON.stringify(history)) / 1024, events: history.events.length, kernel: onKernel(history) };
};
const cell = (m: { kib: number; events: number }) => `${m.kib.toFixed(0)} KiB (${m.events} events)`;

// A scenario recorded again on the kernel keeps its earlier recording beside it (`<name>-on-kernel.json`); one first
// recorded on the kernel has only that.
console.log('| scenario | before the kernel | on the kernel |\n|---|---|---|');
const measured = files.map((f) => ({ f, ...measure(f) }));
for (const m of measured.filter((x) => !x.f.endsWith('-on-kernel.json'))) {
  const again = measured.find((x) => x.f === m.f.replace(/\.json$/, '-on-kernel.json'));
  const [before, after] = again ? [cell(m), cell(again)] : m.kernel ? ['–', cell(m)] : [cell(m), '–'];
  console.log(`| ${m.f.replace(/\.json$/, '')} | ${before} | ${after} |`);
}
const largest = measured.filter((m) => m.kernel).sort((a, b) => b.kib - a.kib)[0];
if (largest) console.log(`\nLargest history on the kernel: ${largest.f.replace(/(-on-kernel)?\.json$/, '')}, ${largest.kib.toFixed(0)} KiB (target < 250 KB).`);
