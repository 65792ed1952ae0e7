/**
 * Preloaded into a timed CLI run (`node --import`): when the process exits, writes its peak resident memory, in
 * bytes, to the file BENCH_PEAK_RSS names. From inside, so the figure is the command's alone.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
