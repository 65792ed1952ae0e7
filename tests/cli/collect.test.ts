import { describe, expect, it } from 'vitest';
import { collectorOutcome, problemSummary } from '../../src/cli/collect.js';

describe('src/cli/collect', () => {
  it('calls a collector failed, not partial, when its problems left nothing stored', () => {
    expect(collectorOutcome(0, 0)).toBe('success');
    expect(collectorOutcome(0, 12)).toBe('success');
    expect(collectorOutcome(2, 10)).toBe('partial');
    expect(collectorOutcome(64, 0)).toBe('failed');
  });

  it('keeps the message status shows to the first problem and a count', () => {
    expect(problemSummary([])).toBeNull();
    expect(problemSummary(['PyTorch 2015: refused'])).toBe('PyTorch 2015: refused');
    expect(problemSummary(['a', 'b', 'c'])).toBe("a; and 2 more (see the run's log)");
    expect(problemSummary(['a', 'b', 'c'], 2)).toBe("a; b; and 1 more (see the run's log)");
  });
});
