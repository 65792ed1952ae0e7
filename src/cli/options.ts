import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Collector, EnvVar } from '../core/collector.js';
import { COLLECTORS } from '../registry.js';
import { UsageError } from '../core/errors.js';
import { CHART_SCALES, type ChartScale } from '../report/chart/y-axis.js';

export type Command = 'collect' | 'report' | 'run' | 'status' | 'export' | 'copy';
export const COMMANDS: readonly Command[] = ['collect', 'report', 'run', 'status', 'export', 'copy'];

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { help: string; arg?: string };

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  verbose: { type: 'boolean', short: 'v', help: 'log every request and decision' },
  db: {
    type: 'string',
    arg: 'FILE|URL',
    help: 'a SQLite file, or postgres://user@host:5432/dbname (default $ADOPTION_METRICS_DB, else output/adoption.sqlite)',
  },
  config: { type: 'string', arg: 'FILE', help: 'config file (default adoption.config.json when present, else built-in)' },
};

const LOCK_WAIT: OptionSpec = {
  type: 'string',
  arg: 'SECONDS',
  help: 'how long to wait for another run on the same database (default 1800)',
};

const COLLECT: Record<string, OptionSpec> = {
  sources: { type: 'string', arg: 'LIST', help: `comma-separated collectors (default all: ${COLLECTORS.map((c) => c.id).join(',')})` },
  'as-of': {
    type: 'string',
    arg: 'YYYY-MM-DD',
    help: 'observation date (default today, UTC); sources that keep history are queried as they stood then',
  },
  record: { type: 'string', arg: 'DIR', help: 'write every raw response to DIR (secrets stripped)' },
  replay: { type: 'string', arg: 'DIR', help: 'answer every request from DIR instead of the network' },
  full: { type: 'boolean', help: 're-query everything instead of the incremental window' },
  'accept-drops': {
    type: 'boolean',
    help: 'store values that fell by more than half since the last run as real (they are held back as suspect otherwise)',
  },
  'lock-wait': LOCK_WAIT,
  timeout: {
    type: 'string',
    arg: 'SECONDS',
    help: 'per-attempt wait for headers and between body chunks; a whole answer gets 3× as long (default 30)',
  },
};

/** Each collector's own options, named in its declaration. */
const COLLECTOR_OPTIONS: Record<string, OptionSpec> = {
  ...Object.fromEntries(
    COLLECTORS.flatMap((c) =>
      (c.options ?? []).map((o): [string, OptionSpec] => [
        o.name,
        { type: 'string', arg: o.values ? o.values.join('|') : 'VALUE', help: `${o.description} (${c.id})` },
      ]),
    ),
  ),
};

const REPORT: Record<string, OptionSpec> = {
  out: { type: 'string', arg: 'DIR', help: 'where report files are written (default output/)' },
  'as-of': COLLECT['as-of']!,
  audit: { type: 'boolean', help: "print the article's claims beside the recomputed figures" },
  backtest: { type: 'boolean', help: 'print how well each partial-year adjustment predicted past years' },
  'csv-bom': { type: 'boolean', help: 'start each CSV with a UTF-8 byte order mark, for Excel (config: reports.csvBom)' },
  'chart-scale': {
    type: 'string',
    arg: CHART_SCALES.join('|'),
    help: 'value axis of the yearly charts: linear from 0 (default), or log (zeros on a baseline under it)',
  },
};

const EXPORT: Record<string, OptionSpec> = {
  out: { type: 'string', arg: 'FILE', help: 'the file to write (required); written whole or not at all, never through a link' },
  format: { type: 'string', arg: 'csv|parquet', help: 'csv or parquet (default: parquet when FILE ends in .parquet, else csv)' },
  since: { type: 'string', arg: 'YYYY-MM-DD', help: 'only observations observed on or after this date' },
  source: { type: 'string', arg: 'ID', help: `only this source's observations (${COLLECTORS.map((c) => c.id).join(', ')})` },
};

const COPY: Record<string, OptionSpec> = {
  from: { type: 'string', arg: 'FILE|URL', help: 'the database to copy from (required; read only)' },
  to: { type: 'string', arg: 'FILE|URL', help: 'the database to copy into (required; created when missing)' },
  'lock-wait': LOCK_WAIT,
};

export const OPTIONS: Record<Command, Record<string, OptionSpec>> = {
  collect: { ...COMMON, ...COLLECT, ...COLLECTOR_OPTIONS },
  report: { ...COMMON, ...REPORT },
  run: { ...COMMON, ...COLLECT, ...COLLECTOR_OPTIONS, ...REPORT },
  status: { ...COMMON },
  // Reads only the database, as status does: no config.
  export: { help: COMMON.help!, verbose: COMMON.verbose!, db: COMMON.db!, ...EXPORT },
  copy: { help: COMMON.help!, verbose: COMMON.verbose!, ...COPY },
};

/** The options the tool itself defines, which no collector may take. */
export const CORE_OPTION_NAMES: readonly string[] = [
  ...new Set([...Object.keys(COMMON), ...Object.keys(COLLECT), ...Object.keys(REPORT), ...Object.keys(EXPORT), ...Object.keys(COPY)]),
];

const SUMMARIES: Record<Command, string> = {
  collect: 'query every source and append the observations to the database',
  report: 'write report.json, CSVs and charts from the stored observations',
  run: 'collect, then report (what cron calls); exits 1 when any source failed',
  status: 'last run per collector, its outcome, and the latest value of each series',
  export: 'write the whole stored history (or the part --since and --source keep) to one CSV or Parquet file',
  copy: 'copy the whole history from one database to another (SQLite or PostgreSQL, either way), then check it by row counts',
};

export type ParsedOptions = Record<string, string | boolean | undefined>;

export function parseCommandArgs(command: Command, argv: string[]): ParsedOptions {
  const options = OPTIONS[command];
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}; see adoption-metrics ${command} --help`);
    // An empty value is never meant: `--replay "$DIR"` with DIR unset must not quietly run live, nor
    // `--out ""` write into the current directory.
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string' && value.trim() === '') {
        const spec = options[name]!;
        throw new UsageError(
          `--${name} needs a value${spec.arg ? ` (${spec.arg})` : ''}, and got an empty one; see adoption-metrics ${command} --help`,
        );
      }
    }
    return values as ParsedOptions;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UsageError(`${message}; see adoption-metrics ${command} --help`);
  }
}

/**
 * `--timeout -1` reaches Node's parseArgs as an option followed by what looks like another option, which it
 * refuses as "ambiguous". A value option followed by a negative number means that number: join the two as
 * `--timeout=-1`, so the option's own check can say what is wrong with it.
 */
function joinNegativeValues(argv: readonly string[], options: Record<string, OptionSpec>): string[] {
  const takesValue = (token: string): boolean => {
    const spec = token.startsWith('--')
      ? options[token.slice(2)]
      : /^-[a-zA-Z]$/.test(token)
        ? Object.values(options).find((o) => o.short === token.slice(1))
        : undefined;
    return spec?.type === 'string';
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    if (takesValue(token) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: adoption-metrics ${command} [options]`, '', SUMMARIES[command], '', 'Options:'];
  for (const [name, spec] of Object.entries(OPTIONS[command])) {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    lines.push(`  ${flag.padEnd(34)} ${spec.help}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One line per environment variable, naming every source that reads it (the Hub's variables serve two), with
 * the description of the first: sources sharing a variable share its meaning.
 */
export function environmentLines(collectors: readonly Collector[]): string[] {
  const byName = new Map<string, { variable: EnvVar; sources: string[] }>();
  for (const c of collectors) {
    for (const v of c.env) {
      const seen = byName.get(v.name);
      if (seen) seen.sources.push(c.id);
      else byName.set(v.name, { variable: v, sources: [c.id] });
    }
  }
  return [...byName.values()].map(
    ({ variable: v, sources }) => `  ${v.name.padEnd(24)} ${sources.join(', ')}: ${v.description}${v.secret ? ' (secret)' : ''}`,
  );
}

/** The store's own variables (README: The store), after the collectors'. */
const STORE_ENVIRONMENT = [
  `  ${'ADOPTION_METRICS_DB'.padEnd(24)} the database when --db is not given: a SQLite file or a postgres:// URL`,
  `  ${'PGPASSWORD'.padEnd(24)} the PostgreSQL password when the URL has none (secret)`,
];

export function globalHelp(version: string): string {
  return [
    `adoption-metrics ${version}: how ML frameworks are adopted, measured from public sources over time`,
    '',
    'Usage: adoption-metrics <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.padEnd(10)} ${SUMMARIES[c]}`),
    '',
    'Run `adoption-metrics <command> --help` for its options. Exit codes: 0 success, 1 a source or the',
    'storage failed (what succeeded is stored), 2 bad usage or config, 143/130 stopped by SIGTERM/SIGINT.',
    '',
    'Environment (secrets are never printed, recorded or stored):',
    ...environmentLines(COLLECTORS),
    ...STORE_ENVIRONMENT,
    '',
  ].join('\n');
}

export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `--NAME SECONDS` in milliseconds; `fallbackSeconds` when absent. Zero only where it means something
 * (`--lock-wait 0`: do not wait); a zero timeout would mean none, and a stalled server would hold the run
 * and its lock forever. `maxSeconds` keeps the value within what a timer can hold.
 */
export function secondsOption(
  options: ParsedOptions,
  name: string,
  fallbackSeconds: number,
  { allowZero = false, maxSeconds = 86_400 }: { allowZero?: boolean; maxSeconds?: number } = {},
): number {
  const value = stringOption(options, name);
  if (value === undefined) return fallbackSeconds * 1000;
  const example = `e.g. --${name} ${fallbackSeconds}`;
  if (/^-\s*\d*\.?\d+$/.test(value.trim())) {
    throw new UsageError(`--${name} ${value} is negative; use a number of seconds${allowZero ? ' (0 or more)' : ' above 0'}, ${example}`);
  }
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} ${value} is not a number of seconds; use ${example}`);
  const seconds = Number(value);
  if (seconds === 0 && !allowZero) {
    throw new UsageError(`--${name} 0 would mean no limit, so a stalled server could hold the run forever; use ${example}`);
  }
  if (seconds > maxSeconds) throw new UsageError(`--${name} ${value} is more than ${maxSeconds} seconds; use ${example}`);
  return seconds * 1000;
}

/** `--timeout`: the per-request timeout in milliseconds (default 30 s); see src/http/transport.ts for what it bounds. */
export function requestTimeoutMs(options: ParsedOptions): number {
  return secondsOption(options, 'timeout', 30);
}

/** `--chart-scale linear|log`; linear when absent. */
export function chartScaleOption(options: ParsedOptions): ChartScale {
  const value = stringOption(options, 'chart-scale');
  if (value === undefined) return 'linear';
  const scale = CHART_SCALES.find((s) => s === value);
  if (scale === undefined)
    throw new UsageError(`--chart-scale ${value} is not one of ${CHART_SCALES.join(', ')}; use e.g. --chart-scale log`);
  return scale;
}
