/**
 * Preloaded into a timed CLI run (`node --import`): when the process exits, writes its peak resident memory (bytes)
 * and the CPU time it used (user + system, microseconds, every thread's) as JSON to the file BENCH_PEAK_RSS names.
 * From inside, so the figures are the command's alone; CPU time is what a shared machine's load moves least.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ rssBytes: usage.maxRSS * 1024, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
  });
}
