import { type JSONPath, visit } from 'jsonc-parser';
import { printable } from './validate.js';

/** A key path as config errors name it: `frameworks[0].<source>.term`. */
function keyPath(path: JSONPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${printable(part)}`)).join('');
}

/**
 * The first key written twice in one object of a JSON text, with its path and line (1-based); undefined when
 * none. JSON.parse keeps the last of two and says nothing, so a config edited by hand could silently mean
 * something else than its first entry says. jsonc-parser (VS Code's JSON scanner) walks the text, since the
 * parsed value no longer holds the duplicate.
 */
export function duplicateKey(text: string): { path: string; line: number } | undefined {
  const open: Set<string>[] = [];
  let found: { path: string; line: number } | undefined;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      const keys = open.at(-1);
      if (found || !keys) return;
      if (keys.has(property)) found = { path: keyPath([...pathSupplier(), property]), line: startLine + 1 };
      keys.add(property);
    },
  });
  return found;
}
