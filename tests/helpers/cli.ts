import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COLLECTORS } from '../../src/registry.js';

/**
 * Every endpoint variable a collector declares, pointed at a closed local port (the discard port, 9) with the
 * public default's path, so a recorded archive still replays and nothing ever reaches the real host.
 */
export const CLOSED_ENDPOINTS: Readonly<Record<string, string>> = Object.fromEntries(
  COLLECTORS.flatMap((c) =>
    c.env.flatMap((v) => (v.endpoint ? [[v.name, `http://127.0.0.1:9${new URL(v.endpoint).pathname.replace(/\/$/, '')}`]] : [])),
  ),
);

/** The compiled tool, exactly as a user or cron runs it (tests/global-setup.ts builds it once per test run). */
export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Output so far (live). */
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<CliResult>;
}

/**
 * Starts `node dist/cli.js ...args` in `cwd` with exactly `env` (plus PATH/HOME), never the caller's
 * environment: a developer's HF_TOKEN must not leak into a test, nor their HF_ENDPOINT send it online.
 * Asynchronous on purpose: the fake servers live in this process and must keep answering. `as` runs it through
 * a command first, e.g. `['setpriv', '--reuid=nobody', …]` to run it as another user.
 */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; as?: readonly string[] },
): CliRun {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: options.cwd, TZ: 'UTC' };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  // Never the real services, even if a test forgets to point a collector at its local server.
  for (const [name, url] of Object.entries(CLOSED_ENDPOINTS)) env[name] ??= url;
  const [command, ...prefix] = [...(options.as ?? []), process.execPath];
  const child = spawn(command!, [...prefix, CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
  };
}

export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; as?: readonly string[] },
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A fresh working directory for one test (the CLI's default output/ lands inside it). */
export function tempWorkdir(prefix = 'am-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Waits until `check()` is true, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs `main(args)` in this process with an injected clock (`now`), as `runCli` would run it otherwise: for a
 * test that needs time to pass between runs. Only commands that need no worker thread (`collect`, `status`):
 * the report's export runs in a worker made from the compiled file.
 */
export async function runInProcess(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; now: Date },
): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const env: Record<string, string | undefined> = { TZ: 'UTC', ...options.env };
  for (const [name, url] of Object.entries(CLOSED_ENDPOINTS)) env[name] ??= url;
  let stdout = '';
  let stderr = '';
  const code = await main([...args], {
    env: Object.freeze(env),
    now: () => options.now,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
    cwd: options.cwd,
  });
  return { code, signal: null, stdout, stderr };
}
