import { describe, expect, it } from 'vitest';
import { chartScaleOption, globalHelp, parseCommandArgs, requestTimeoutMs, secondsOption } from '../../src/cli/options.js';
import { COLLECTORS } from '../../src/registry.js';
import { UsageError } from '../../src/core/errors.js';

describe('cli/options secondsOption', () => {
  it('turns --NAME SECONDS and the default, both in seconds, into milliseconds', () => {
    // The defaults cron relies on: a 30 s request timeout and a 30 min wait for another run's lock.
    expect(secondsOption(parseCommandArgs('run', []), 'timeout', 30)).toBe(30_000);
    expect(secondsOption(parseCommandArgs('run', []), 'lock-wait', 1800)).toBe(1_800_000);
    expect(secondsOption(parseCommandArgs('run', ['--timeout', '2.5']), 'timeout', 30)).toBe(2_500);
    expect(secondsOption(parseCommandArgs('run', ['--lock-wait', '0']), 'lock-wait', 1800, { allowZero: true })).toBe(0);
  });

  it('refuses a zero timeout, which would let a stalled server hold the run and its lock forever', () => {
    expect(() => requestTimeoutMs(parseCommandArgs('run', ['--timeout', '0']))).toThrow(
      /^--timeout 0 would mean no limit, so a stalled server could hold the run forever; use e\.g\. --timeout 30$/,
    );
    expect(() => requestTimeoutMs(parseCommandArgs('run', ['--timeout', '0.0']))).toThrow(UsageError);
    expect(requestTimeoutMs(parseCommandArgs('run', ['--timeout', '0.5']))).toBe(500);
  });

  it('refuses negative values given as the next argument with its own message, not Node\'s "ambiguous"', () => {
    expect(() => requestTimeoutMs(parseCommandArgs('run', ['--timeout', '-1']))).toThrow(
      /^--timeout -1 is negative; use a number of seconds above 0, e\.g\. --timeout 30$/,
    );
    expect(() => secondsOption(parseCommandArgs('collect', ['--lock-wait', '-1']), 'lock-wait', 1800, { allowZero: true })).toThrow(
      /^--lock-wait -1 is negative; use a number of seconds \(0 or more\), e\.g\. --lock-wait 1800$/,
    );
    expect(() => requestTimeoutMs(parseCommandArgs('run', ['--timeout', '-.5']))).toThrow(/--timeout -\.5 is negative/);
    // Only a value option takes the number; a negative number elsewhere is still an unexpected argument.
    expect(() => parseCommandArgs('run', ['--full', '-1'])).toThrow(UsageError);
  });

  it('refuses a timeout too long for a timer to hold', () => {
    expect(() => requestTimeoutMs(parseCommandArgs('run', ['--timeout', '99999999']))).toThrow(
      /--timeout 99999999 is more than 86400 seconds/,
    );
  });

  it('rejects anything but a number of seconds, naming the option', () => {
    expect(() => secondsOption(parseCommandArgs('run', ['--timeout', '30s']), 'timeout', 30)).toThrow(UsageError);
    expect(() => secondsOption(parseCommandArgs('run', ['--timeout', '1e3']), 'timeout', 30)).toThrow(
      /--timeout 1e3 is not a number of seconds/,
    );
    expect(() => secondsOption(parseCommandArgs('run', ['--timeout=-1']), 'timeout', 30)).toThrow(/--timeout -1 is negative/);
  });
});

describe('cli/options parseCommandArgs', () => {
  it('refuses an empty value for any option, so an unset variable never turns a replay into a live run', () => {
    for (const args of [['--replay='], ['--replay', ''], ['--record', ' '], ['--db='], ['--out', ''], ['--sources=']]) {
      expect(() => parseCommandArgs('run', args), args.join(' ')).toThrow(UsageError);
    }
    expect(() => parseCommandArgs('run', ['--replay='])).toThrow(/^--replay needs a value \(DIR\), and got an empty one/);
    expect(parseCommandArgs('run', ['--replay', 'dir']).replay).toBe('dir');
  });
});

describe('cli/options chartScaleOption', () => {
  it('is linear by default, takes log on report and run, and names the choices otherwise', () => {
    expect(chartScaleOption(parseCommandArgs('report', []))).toBe('linear');
    expect(chartScaleOption(parseCommandArgs('report', ['--chart-scale', 'log']))).toBe('log');
    expect(chartScaleOption(parseCommandArgs('run', ['--chart-scale=linear']))).toBe('linear');
    expect(() => chartScaleOption(parseCommandArgs('report', ['--chart-scale', 'Log']))).toThrow(
      /^--chart-scale Log is not one of linear, log; use e\.g\. --chart-scale log$/,
    );
    expect(() => parseCommandArgs('collect', ['--chart-scale', 'log'])).toThrow(UsageError);
  });
});

describe('cli/options --help', () => {
  it('lists each environment variable once, with every source that reads it', () => {
    const help = globalHelp('test');
    const lines = help.split('\n').filter((l) => /^ {2}[A-Z][A-Z0-9_]+ /.test(l));
    const names = lines.map((l) => l.trim().split(/\s+/)[0]);
    // The collectors' variables, then the store's own (README: The store).
    expect(names).toEqual([...new Set(COLLECTORS.flatMap((c) => c.env.map((v) => v.name))), 'ADOPTION_METRICS_DB', 'PGPASSWORD']);
    expect(lines.find((l) => l.startsWith('  PGPASSWORD '))).toMatch(/\(secret\)$/);
    for (const name of ['HF_ENDPOINT', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']) expect(names.filter((n) => n === name)).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('  HF_TOKEN '))).toMatch(/^ {2}HF_TOKEN +huggingface, paperswithcode: Hub token, .*\(secret\)$/);
    expect(lines.find((l) => l.startsWith('  OPENALEX_API_KEY '))).toMatch(/^ {2}OPENALEX_API_KEY +openalex: /);
  });
});
