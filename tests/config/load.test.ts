import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCollector } from '../../src/core/collector.js';
import { UsageError } from '../../src/core/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError, expectObject, expectString } from '../../src/config/validate.js';

/** A stand-in third source: the core must parse its sections without knowing anything about it. */
const demo = defineCollector<{ query: string }, { depth: number }>({
  id: 'demo',
  version: '1.0.0',
  description: 'test source',
  baseUrl: () => 'http://127.0.0.1',
  rateLimit: () => ({ maxRequests: 1, windowMs: 1000, concurrency: 1 }),
  credentials: () => ({ headers: {}, secrets: [] }),
  env: [],
  parseFrameworkPart: (value, path) => ({ query: expectString(expectObject(value, path, ['query']).query, `${path}.query`) }),
  parseSourcePart: (value, path) => {
    if (value === undefined) return { depth: 1 };
    const v = expectObject(value, path, ['depth']);
    if (typeof v.depth !== 'number') throw new ConfigError(`config key ${path}.depth: expected a number`);
    return { depth: v.depth };
  },
  defaultFrameworkParts: { PyTorch: { query: 'torch' } },
  series: () => [],
  collect: async () => ({ stored: 0, problems: [], warnings: [] }),
});
const collectors = [demo];

const parse = (raw: unknown) => parseConfig(raw, collectors, 'test');
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a config error');
};

describe('src/config/load', () => {
  it('uses the built-in frameworks with each source’s default part', () => {
    const config = parse({});
    expect(config.frameworks.map((f) => f.name)).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    expect(config.frameworks[0]!.sources.demo).toEqual({ query: 'torch' });
    expect(config.frameworks[1]!.sources.demo).toBeUndefined();
    expect(config.sources.demo).toEqual({ depth: 1 });
  });

  it('leaves a source no framework has a part for unconfigured, but still checks its section', () => {
    const config = parse({ frameworks: [{ name: 'MXNet' }], demo: { depth: 3 } });
    expect(config.sources).toEqual({});
    expect(message(() => parse({ frameworks: [{ name: 'MXNet' }], demo: { depth: 'deep' } }))).toBe(
      'config key demo.depth: expected a number',
    );
  });

  it('delegates each source section to its collector', () => {
    const config = parse({ frameworks: [{ name: 'MXNet', demo: { query: 'mxnet' } }], demo: { depth: 3 } });
    expect(config.frameworks).toEqual([{ name: 'MXNet', sources: { demo: { query: 'mxnet' } } }]);
    expect(config.sources.demo).toEqual({ depth: 3 });
  });

  it('rejects unknown keys and wrong types, naming the key', () => {
    expect(message(() => parse({ framworks: [] }))).toBe('config key framworks is not known; allowed here: frameworks, reports, demo');
    expect(message(() => parse({ frameworks: {} }))).toBe('config key frameworks: expected an array, got an object');
    expect(message(() => parse({ frameworks: [] }))).toMatch(/frameworks: expected at least one framework/);
    expect(message(() => parse({ frameworks: [{ name: 'A', colour: 'red' }] }))).toBe(
      'config key frameworks[0].colour is not known; allowed here: name, demo',
    );
    expect(message(() => parse({ frameworks: [{ name: 7 }] }))).toBe(
      'config key frameworks[0].name: expected a non-empty string, got number 7',
    );
    expect(message(() => parse({ frameworks: [{ name: 'A', demo: { query: '' } }] }))).toBe(
      'config key frameworks[0].demo.query: expected a non-empty string, got the string ""',
    );
    expect(message(() => parse({ frameworks: [{ name: 'A' }, { name: 'a' }] }))).toMatch(
      /frameworks\[1\]\.name: framework "a" appears twice/,
    );
    expect(message(() => parse({ demo: { depth: 'deep' } }))).toBe('config key demo.depth: expected a number');
    for (const name of ['Py\u0001Torch', 'Py\nTorch', '\u001b[31mRed', 'Tab\tName', 'C1\u0085']) {
      expect(message(() => parse({ frameworks: [{ name }] }))).toMatch(
        /^config key frameworks\[0\]\.name: expected text without control characters/,
      );
    }
  });

  it('refuses Unicode bidirectional controls in any configured text, naming the key in one line that shows them escaped', () => {
    const controls = [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200e',
      '\u200f',
      '\u061c',
    ];
    for (const ch of controls) {
      const code = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      const name = message(() => parse({ frameworks: [{ name: `PyTorch${ch}hcraeS` }] }));
      expect(name).toBe(
        `config key frameworks[0].name: expected text without bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which reorder it on screen, got the string "PyTorch${code}hcraeS"`,
      );
      expect(message(() => parse({ frameworks: [{ name: 'A', demo: { query: `torch${ch}` } }] }))).toMatch(
        /^config key frameworks\[0\]\.demo\.query: expected text without bidirectional controls/,
      );
    }
    // Neither a value nor a key ever reaches the terminal raw; C1 controls are shown escaped too.
    expect(message(() => parse({ frameworks: [{ name: 'A', 'na\u202eme': 'x' }] }))).toBe(
      'config key frameworks[0].na\\u202eme is not known; allowed here: name, demo',
    );
    expect(message(() => parse({ frameworks: [{ name: 'C1\u0085' }] }))).toContain('"C1\\u0085"');
    // Other invisible or right-to-left text stays allowed: an Arabic or Hebrew name, a zero-width joiner.
    expect(parse({ frameworks: [{ name: 'تنسرفلو' }, { name: 'פייטורץ׳' }, { name: 'a\u200db' }] }).frameworks).toHaveLength(3);
  });

  it('refuses a key written twice in one object, naming it and its line, where JSON.parse would keep the last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-config-'));
    const path = join(dir, 'twice.json');
    writeFileSync(path, '{"frameworks": [{"name": "A", "demo": {"query": "a", "query": "b"}}]}');
    expect(message(() => loadConfig({ path, collectors, cwd: dir }))).toBe(
      `${path}: config key frameworks[0].demo.query appears twice (the second on line 1); JSON would keep only the last, so keep one`,
    );
    writeFileSync(
      path,
      ['{', '  "frameworks": [{ "name": "A" }, { "name": "B" }],', '  "demo": { "depth": 1 },', '  "demo": { "depth": 2 }', '}'].join('\n'),
    );
    expect(message(() => loadConfig({ path, collectors, cwd: dir }))).toBe(
      `${path}: config key demo appears twice (the second on line 4); JSON would keep only the last, so keep one`,
    );
    writeFileSync(path, '{"frameworks": [{"name": "A"}, {"name": "A", "name": "B"}]}');
    expect(message(() => loadConfig({ path, collectors, cwd: dir }))).toMatch(/config key frameworks\[1\]\.name appears twice/);
    // The same key in two objects, or a key equal to a value, is fine.
    writeFileSync(path, '{"frameworks": [{"name": "demo", "demo": {"query": "name"}}, {"name": "B", "demo": {"query": "b"}}]}');
    expect(loadConfig({ path, collectors, cwd: dir }).frameworks.map((f) => f.name)).toEqual(['demo', 'B']);
  });

  it('reads the reports section: csvBom off unless set to true', () => {
    expect(parse({}).reports).toEqual({ csvBom: false });
    expect(parse({ reports: {} }).reports).toEqual({ csvBom: false });
    expect(parse({ reports: { csvBom: true } }).reports).toEqual({ csvBom: true });
    expect(message(() => parse({ reports: { csvBom: 'yes' } }))).toBe(
      'config key reports.csvBom: expected true or false, got the string "yes"',
    );
    expect(message(() => parse({ reports: { bom: true } }))).toBe('config key reports.bom is not known; allowed here: csvBom');
    expect(message(() => parse({ reports: [] }))).toBe('config key reports: expected an object, got an array');
  });

  it('reads a file, names it in errors, and treats a missing explicit file as bad usage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-config-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ frameworks: [{ name: 'A', demo: { query: 'a' } }] }));
    expect(loadConfig({ path: good, collectors, cwd: dir }).origin).toBe(good);
    // A relative path is relative to the command's working directory, not the process's.
    expect(loadConfig({ path: 'good.json', collectors, cwd: dir }).frameworks.map((f) => f.name)).toEqual(['A']);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "frameworks": [ }');
    expect(message(() => loadConfig({ path: broken, collectors, cwd: dir }))).toMatch(
      /^config file .*broken\.json is not valid JSON \(.*\); fix it/,
    );

    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ demo: [] }));
    expect(message(() => loadConfig({ path: wrong, collectors, cwd: dir }))).toBe(
      `${wrong}: config key demo: expected an object, got an array`,
    );

    expect(message(() => loadConfig({ path: join(dir, 'absent.json'), collectors, cwd: dir }))).toMatch(
      /config file .*absent\.json does not exist/,
    );
  });

  it('refuses what is not a regular file at once, in one line (exit 2): a FIFO never blocks a cron run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-config-'));
    const usage = (path: string) => {
      try {
        loadConfig({ path, collectors, cwd: dir });
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    expect(usage('fifo.json')).toBe('config file fifo.json is a FIFO, not a file; pass a JSON file to --config');
    mkdirSync(join(dir, 'folder'));
    expect(usage('folder')).toBe('config file folder is a directory, not a file; pass a JSON file to --config');
    expect(usage('/dev/zero')).toBe('config file /dev/zero is a device, not a file; pass a JSON file to --config');
    writeFileSync(join(dir, 'huge.json'), Buffer.alloc(1024 * 1024 + 1, 32));
    expect(usage('huge.json')).toMatch(/^config file huge\.json is 1048577 bytes, over the 1048576 a config can be/);
    // The default file name as a dangling link: said, not taken for "no file, use the defaults".
    symlinkSync(join(dir, 'gone.json'), join(dir, 'adoption.config.json'));
    expect(() => loadConfig({ collectors, cwd: dir })).toThrow(
      `config file adoption.config.json is a symbolic link to ${join(dir, 'gone.json')}, which does not exist; fix the link, or remove it for the built-in defaults`,
    );
    // A link to a real file is read.
    writeFileSync(join(dir, 'gone.json'), JSON.stringify({ frameworks: [{ name: 'A' }] }));
    expect(loadConfig({ collectors, cwd: dir }).frameworks.map((f) => f.name)).toEqual(['A']);
  });

  it('reads a file saved with a UTF-8 byte order mark, as Windows editors save it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-config-'));
    const path = join(dir, 'bom.json');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ frameworks: [{ name: 'A' }] }))]));
    expect(loadConfig({ path, collectors, cwd: dir }).frameworks.map((f) => f.name)).toEqual(['A']);
  });
});
