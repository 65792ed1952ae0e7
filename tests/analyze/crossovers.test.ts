import { describe, expect, it } from 'vitest';
import { crossovers } from '../../src/analyze/crossovers.js';

const series = (keyword: string, values: (number | null)[], partialLast = false) => ({
  keyword,
  points: values.map((value, i) => ({ year: 2018 + i, value, partial: partialLast && i === values.length - 1 })),
});

describe('src/analyze/crossovers', () => {
  it('finds the first year each keyword overtakes another, for every ordered pair', () => {
    const result = crossovers([series('PyTorch', [1, 5, 20, 40]), series('TensorFlow', [10, 12, 15, 14]), series('Keras', [8, 9, 9, 30])]);
    const find = (leader: string, trailer: string) => result.find((c) => c.leader === leader && c.trailer === trailer)!;
    expect(result).toHaveLength(6);
    expect(find('PyTorch', 'TensorFlow')).toMatchObject({ status: 'crossed', year: 2020, ahead_in_last_year: true });
    expect(find('PyTorch', 'Keras')).toMatchObject({ status: 'crossed', year: 2020 });
    expect(find('TensorFlow', 'PyTorch')).toMatchObject({ status: 'ahead_from_start', year: null, ahead_in_last_year: false });
    expect(find('Keras', 'TensorFlow')).toMatchObject({ status: 'crossed', year: 2021 });
    expect(find('Keras', 'PyTorch')).toMatchObject({ status: 'ahead_from_start', ahead_in_last_year: false });
    expect(find('TensorFlow', 'Keras')).toMatchObject({ status: 'ahead_from_start', ahead_in_last_year: false });
  });

  it('does not count a tie as exceeding, skips missing years and flags a crossover in the partial year', () => {
    const result = crossovers([series('A', [5, null, 5, 9], true), series('B', [5, 1, 5, 6])]);
    expect(result.find((c) => c.leader === 'A')).toMatchObject({ status: 'crossed', year: 2021, partial: true });
    expect(result.find((c) => c.leader === 'B')).toMatchObject({ status: 'never_ahead', year: null });
  });
});
