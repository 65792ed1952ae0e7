import { describe, expect, it } from 'vitest';
import { cellText, defuseFormula, fixed, plainNumber, toCsv } from '../../src/report/csv.js';

describe('src/report/csv', () => {
  it('defuses text that a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(defuseFormula(text)).toBe(`'${text}`);
    expect(defuseFormula('PyTorch')).toBe('PyTorch');
    expect(defuseFormula('2024-07-20')).toBe('2024-07-20');
  });

  it('leaves numbers alone: a negative number stays a number', () => {
    expect(cellText(-16.67)).toBe('-16.67');
    expect(cellText(fixed(-16.67))).toBe('-16.67');
    expect(cellText('-16.67')).toBe("'-16.67"); // the same characters as text are defused
  });

  it('writes plain numbers, fixed decimals, flags and empties', () => {
    expect(plainNumber(185_382)).toBe('185382');
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(Number.NaN)).toBe('');
    expect(cellText(fixed(91.1))).toBe('91.10');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
  });

  it('quotes where CSV needs it and ends lines with LF', () => {
    const csv = toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, null]]);
    expect(csv).toBe('a,b\n"x,y","say ""hi"""\n1,\n');
  });

  it('adds a UTF-8 byte order mark only when asked', () => {
    expect(toCsv(['a'], [[1]], { bom: true }).charCodeAt(0)).toBe(0xfeff);
    expect(toCsv(['a'], [[1]]).charCodeAt(0)).toBe('a'.charCodeAt(0));
  });
});
