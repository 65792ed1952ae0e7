import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { cellText, csvRecord, csvStringifier, defuseFormula, fixed, plainNumber, toCsv, type Cell } from '../../src/report/csv.js';

describe('src/report/csv', () => {
  it('defuses text that a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '\uFF1D1+1', '\uFF20SUM(A1)'])
      expect(defuseFormula(text)).toBe(`'${text}`);
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
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(-2.5e22)).toBe('-25000000000000000000000');
    expect(plainNumber(1.234e-15)).toBe('0.000000000000001234');
    expect(plainNumber(Number.NaN)).toBe('');
    expect(cellText(fixed(91.1))).toBe('91.10');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
  });

  it('quotes where CSV needs it and ends lines with LF', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        [1, null],
      ],
    );
    expect(csv).toBe('a,b\n"x,y","say ""hi"""\n1,\n');
  });

  it('adds a UTF-8 byte order mark only when asked', () => {
    expect(toCsv(['a'], [[1]], { bom: true }).charCodeAt(0)).toBe(0xfeff);
    expect(toCsv(['a'], [[1]]).charCodeAt(0)).toBe('a'.charCodeAt(0));
  });

  const awkward: Cell[][] = [
    ['plain', 'a,b', 'say "hi"', '"', '""', 'line\nbreak', 'x', 'crlf\r\nend', ''],
    ['=cmd', '-1', "it's", ' padded ', 'ünïcödé 模型 🤗', 'tab\tinside', ';semi;', '\\back\\slash', '#'],
    [0, -16.67, 1e21, 1e-7, 185_382, fixed(91.1), true, false, null],
    [undefined, Number.NaN, fixed(null), 'x', 'y', 'z', '"a,b"', 'a"b,c\nd', '@'],
    ['carriage\rreturn', '\rx', '\uFF1D1', fixed(-16.67), -0.5, 'a\u2028b', ' ', '-', '+'],
  ];
  const columns = ['source', 'metric', '=subject', 'period', 'value', 'observed_at', 'run_id', 'query', 'method'];
  /** The bytes the hand-written writer produced before csv-stringify replaced it: the files must not change. */
  const expected = [
    "source,metric,'=subject,period,value,observed_at,run_id,query,method",
    'plain,"a,b","say ""hi""","""","""""","line\nbreak",x,"crlf\r\nend",',
    "'=cmd,'-1,it's, padded ,ünïcödé 模型 🤗,tab\tinside,;semi;,\\back\\slash,#",
    '0,-16.67,1000000000000000000000,0.0000001,185382,91.10,true,false,',
    ',,,x,y,z,"""a,b""","a""b,c\nd",\'@',
    '"carriage\rreturn","\'\rx",\'\uFF1D1,-16.67,-0.5,a\u2028b, ,\'-,\'+',
    '',
  ].join('\n');

  it('writes these bytes, byte for byte, with and without a byte order mark', () => {
    expect(toCsv(columns, awkward)).toBe(expected);
    expect(Buffer.from(toCsv(columns, awkward, { bom: true }), 'utf8')).toEqual(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(expected, 'utf8')]),
    );
    expect(toCsv(columns, [])).toBe(`${expected.split('\n')[0]}\n`);
    expect(toCsv(columns, awkward.values())).toBe(expected); // any iterable of rows
    expect(csvRecord(['a,b', 'say "hi"', 'x\ny', 7])).toBe('"a,b","say ""hi""","x\ny",7');
  });

  it('streams the same bytes', async () => {
    const stream = csvStringifier(columns, { bom: true });
    // Bytes, not text(): a TextDecoder would drop the byte order mark this checks.
    const read = buffer(stream);
    for (const row of awkward) stream.write(row);
    stream.end();
    expect((await read).toString('utf8')).toBe(`\uFEFF${expected}`);
    const empty = csvStringifier(columns);
    const readEmpty = buffer(empty);
    empty.end();
    expect((await readEmpty).toString('utf8')).toBe(`${expected.split('\n')[0]}\n`);
  });

  it('quotes a lone carriage return, which spreadsheets read as a line end (csv-stringify leaves it bare once record_delimiter is set)', () => {
    expect(csvRecord(['carriage\rreturn', 'b'])).toBe('"carriage\rreturn",b');
  });
});
