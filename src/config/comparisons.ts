import type { FrameworkPart } from '../core/collector.js';
import { ConfigError, expectArray, expectString, fail } from './validate.js';

/** The article's comparison: what a source compares when its config names none and both frameworks have a part. */
export const DEFAULT_COMPARISON = ['PyTorch', 'TensorFlow'] as const;

/**
 * A source's `comparisons` (lists of at least two distinct framework names), or its default when absent: the
 * article's PyTorch vs TensorFlow when both have a part for the source, else none; an empty list is valid.
 * Names must be frameworks with a part for the source; they are matched case-insensitively and kept in the
 * frameworks' own spelling. `id`: the source, `example`: its part as a config shows it, for the error that
 * names a framework without one.
 */
export function parseComparisons(
  value: unknown,
  path: string,
  frameworks: readonly FrameworkPart<unknown>[],
  allNames: readonly string[],
  source: { id: string; example: string; notDefinedHint?: string },
): string[][] {
  const named = (name: string) => frameworks.find((f) => f.name.toLowerCase() === name.toLowerCase())?.name;
  if (value === undefined) {
    const pair = DEFAULT_COMPARISON.map(named);
    return pair.every((n) => n !== undefined) ? [pair as string[]] : [];
  }
  return expectArray(value, path).map((item, i) => {
    const itemPath = `${path}[${i}]`;
    const names = expectArray(item, itemPath).map((name, j) => expectString(name, `${itemPath}[${j}]`));
    if (names.length < 2) fail(itemPath, 'at least 2 framework names', item);
    if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) fail(itemPath, 'distinct framework names', item);
    return names.map((name, j) => {
      const found = named(name);
      if (found !== undefined) return found;
      const where = `config key ${itemPath}[${j}]`;
      if (!allNames.some((n) => n.toLowerCase() === name.toLowerCase())) {
        throw new ConfigError(
          `${where}: framework ${JSON.stringify(name)} is not defined; known: ${allNames.join(', ')}${source.notDefinedHint ? ` (${source.notDefinedHint})` : ''}`,
        );
      }
      throw new ConfigError(
        `${where}: framework ${JSON.stringify(name)} has no ${source.id} part; add "${source.id}": ${source.example} to it`,
      );
    });
  });
}
