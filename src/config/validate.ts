import { UsageError } from '../core/errors.js';

/**
 * Small guards for config parsing. Every failure names the key path (`frameworks[2].<source>.term`) and what
 * was expected, so a typo in adoption.config.json is a one-line fix.
 */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
}

/**
 * Control characters and Unicode bidirectional formatting characters written as `\uXXXX`, so an error line
 * shows them instead of obeying them (a U+202E would print the rest of the line backwards).
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${printable(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function fail(path: string, expected: string, value: unknown): never {
  throw new ConfigError(`config key ${path}: expected ${expected}, got ${describeValue(value)}`);
}

export function expectObject(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowedKeys.includes(key)) {
      throw new ConfigError(`config key ${path ? `${path}.` : ''}${printable(key)} is not known; allowed here: ${allowedKeys.join(', ')}`);
    }
  }
  return record;
}

/** Control characters (tab, newline, escape, C1): they break log lines, terminals, SVG and CSV cells. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks): invisible, they make a
 * name read in another order than it is stored (Trojan Source, CVE-2021-42574), in terminals, charts and CSVs.
 */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'a non-empty string', value);
  if (CONTROL.test(value)) fail(path, 'text without control characters (tabs, line breaks, escapes)', value);
  if (BIDI.test(value)) {
    fail(
      path,
      'text without bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which reorder it on screen',
      value,
    );
  }
  return value;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

export function expectStringArray(value: unknown, path: string): string[] {
  return expectArray(value, path).map((item, i) => expectString(item, `${path}[${i}]`));
}

export function expectInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

export function expectOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) fail(path, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

/**
 * What a search text lacks to mean what it says: balanced double quotes and parentheses. Search engines'
 * query languages answer an unbalanced one with an ordinary result for a different question, so sources
 * refuse it up front.
 */
export function balanceProblem(text: string): string | undefined {
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth < 0) return 'balanced parentheses';
  }
  if (quoted) return 'balanced double quotes';
  if (depth !== 0) return 'balanced parentheses';
  return undefined;
}
