/**
 * Child process of `npm run bench -- paperswithcode`: one measurement in a fresh process, so its peak memory is
 * its own. `read FILE`: verify, read and count a parquet file as the collector does. `collect DIR`: the real
 * `adoption-metrics collect --sources paperswithcode` in-process (HF_ENDPOINT from the environment: the
 * parent's stand-in), download and storage included. Prints one JSON line: ms, peak RSS and its baseline.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createLinkCounter } from '../collectors/paperswithcode/count-links.js';
import { readLinks } from '../collectors/paperswithcode/read-links.js';
import { fileProblem } from '../collectors/paperswithcode/verify-file.js';
import { main } from '../src/cli/main.js';

const [mode, target] = process.argv.slice(2);
/**
 * Peak resident memory of this process in MB: Linux's VmHWM, which starts afresh with the program (getrusage's
 * maxRSS is carried over an exec from the parent, so it would count the bench's own memory).
 */
function peakRssMb(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Math.round(Number(kb) / 1024);
  } catch {
    // Not Linux: the portable, possibly inflated figure.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
const baseline = peakRssMb();
const started = performance.now();
let detail: Record<string, unknown> = {};
if (mode === 'read') {
  const bytes = new Uint8Array(readFileSync(target!));
  const problem = fileProblem(bytes, { size: bytes.length });
  if (problem) throw new Error(problem);
  const counter = createLinkCounter({
    frameworks: ['pytorch', 'tf', 'jax'],
    comparisons: [[0, 1]],
    throughMonth: '2025-07',
    latestMonth: '2025-07',
  });
  const read = await readLinks(bytes, counter.add);
  const counts = counter.result();
  detail = { rows: read.rows, rowGroups: read.rowGroups, quarters: counts.quarters.size };
} else if (mode === 'collect') {
  const lines: string[] = [];
  const code = await main(['collect', '--sources', 'paperswithcode', '--db', `${target}/bench.sqlite`], {
    env: Object.freeze({ HF_ENDPOINT: process.env.HF_ENDPOINT }),
    now: () => new Date(),
    stdout: (t) => lines.push(t),
    stderr: (t) => lines.push(t),
    isTty: false,
    cwd: target!,
  });
  if (code !== 0) throw new Error(`collect exited ${code}: ${lines.join('')}`);
  detail = { log: lines.find((l) => l.includes('links in')) };
} else {
  throw new Error('usage: pwc-read.js read FILE | collect DIR');
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), peakRssMb: peakRssMb(), baselineRssMb: baseline, ...detail })}\n`);
