import { describe, expect, it } from 'vitest';
import { chartScaleOption, parseCommandArgs, secondsOption } from '../../src/cli/options.js';
import { UsageError } from '../../src/core/errors.js';

describe('cli/options secondsOption', () => {
  it('turns --NAME SECONDS and the default, both in seconds, into milliseconds', () => {
    // The defaults cron relies on: a 30 s request timeout and a 30 min wait for another run's lock.
    expect(secondsOption(parseCommandArgs('run', []), 'timeout', 30)).toBe(30_000);
    expect(secondsOption(parseCommandArgs('run', []), 'lock-wait', 1800)).toBe(1_800_000);
    expect(secondsOption(parseCommandArgs('run', ['--timeout', '2.5']), 'timeout', 30)).toBe(2_500);
    expect(secondsOption(parseCommandArgs('run', ['--lock-wait', '0']), 'lock-wait', 1800)).toBe(0);
  });

  it('rejects anything but a number of seconds, naming the option', () => {
    expect(() => secondsOption(parseCommandArgs('run', ['--timeout', '30s']), 'timeout', 30)).toThrow(UsageError);
    expect(() => secondsOption(parseCommandArgs('run', ['--timeout=-1']), 'timeout', 30)).toThrow(
      /--timeout -1 is not a number of seconds/,
    );
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
