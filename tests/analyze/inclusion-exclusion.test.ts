import { describe, expect, it } from 'vitest';
import { exactSegments, nonEmptySubsets } from '../../src/analyze/overlap-snapshot/inclusion-exclusion.js';

describe('src/analyze/inclusion-exclusion', () => {
  it('orders subsets singles first, then pairs, ties in member order', () => {
    expect(nonEmptySubsets(2)).toEqual([0b01, 0b10, 0b11]);
    expect(nonEmptySubsets(3)).toEqual([0b001, 0b010, 0b100, 0b011, 0b101, 0b110, 0b111]);
  });

  it('recovers the two-framework segments of the article', () => {
    const segments = exactSegments(
      2,
      new Map([
        [0b01, 185_382],
        [0b10, 17_642],
        [0b11, 4_833],
      ]),
    );
    expect(Object.fromEntries(segments)).toEqual({ 1: 180_549, 2: 12_809, 3: 4_833 });
  });

  it('recovers every Venn region of three frameworks', () => {
    // Regions chosen by hand: a only 50, b only 20, c only 10, ab only 5, ac only 3, bc only 2, abc 1.
    // "Has all of" counts: a = 50+5+3+1, b = 20+5+2+1, c = 10+3+2+1, ab = 5+1, ac = 3+1, bc = 2+1, abc = 1.
    const countAll = new Map([
      [0b001, 59],
      [0b010, 28],
      [0b100, 16],
      [0b011, 6],
      [0b101, 4],
      [0b110, 3],
      [0b111, 1],
    ]);
    const segments = exactSegments(3, countAll);
    expect(Object.fromEntries(segments)).toEqual({ 1: 50, 2: 20, 4: 10, 3: 5, 5: 3, 6: 2, 7: 1 });
    expect([...segments.values()].reduce((a, b) => a + b, 0)).toBe(91);
  });

  it('returns negative segments for inconsistent counts instead of clamping them', () => {
    const segments = exactSegments(
      2,
      new Map([
        [0b01, 10],
        [0b10, 5],
        [0b11, 12],
      ]),
    );
    expect(segments.get(0b01)).toBe(-2);
  });

  it('throws when a subset count is missing', () => {
    expect(() =>
      exactSegments(
        2,
        new Map([
          [0b01, 10],
          [0b10, 5],
        ]),
      ),
    ).toThrow(/missing/);
  });
});
