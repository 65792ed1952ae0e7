/** A one-line progress display on a terminal's stderr; silent elsewhere (cron mail stays readable). */
export interface Progress {
  update(collector: string, stored: number): void;
  done(): void;
}

export function createProgress(enabled: boolean, write: (text: string) => void): Progress {
  const counts = new Map<string, number>();
  let drawn = false;
  return {
    update(collector, stored) {
      if (!enabled) return;
      counts.set(collector, stored);
      const line = [...counts].map(([c, n]) => `${c}: ${n} stored`).join('  ');
      write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    done() {
      if (drawn) write('\r\x1b[2K');
      drawn = false;
    },
  };
}
