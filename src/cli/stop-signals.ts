/** Exit codes of a run stopped by a signal, as a shell reports a process killed by it (128 + number). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Calls `stop` on the first SIGINT or SIGTERM. Its handlers are removed first, so a second signal meets
 * the default action and ends the process at once, even while `stop` is still cleaning up. Returns the
 * function that removes them when the run ends normally.
 */
export function onStopSignal(stop: (signal: StopSignal, exitCode: number) => void): () => void {
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  const remove = () => {
    for (const signal of signals) process.removeListener(signal, handler);
  };
  const handler = (signal: StopSignal) => {
    remove();
    stop(signal, STOP_SIGNALS[signal]);
  };
  for (const signal of signals) process.on(signal, handler);
  return remove;
}
