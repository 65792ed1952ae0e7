/**
 * Reads cell types out of a LibreOffice flat ODF spreadsheet (.fods), enough to check how a CSV import typed
 * each cell. Repeated cells (`table:number-columns-repeated`) are expanded.
 */
export interface FodsCell {
  type: 'float' | 'date' | 'string' | 'boolean' | 'empty' | string;
  /** office:value, office:date-value or office:boolean-value, else the text. */
  value: string;
  text: string;
  formula: string | null;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function fodsRows(xml: string): FodsCell[][] {
  const rows: FodsCell[][] = [];
  for (const row of xml.matchAll(/<table:table-row\b[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const cells: FodsCell[] = [];
    for (const cell of row[1]!.matchAll(/<table:table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-cell>)/g)) {
      const attrs = cell[1]!;
      const attr = (name: string) => attrs.match(new RegExp(`${name}="([^"]*)"`))?.[1];
      const text = decode([...(cell[2] ?? '').matchAll(/<text:p>([\s\S]*?)<\/text:p>/g)].map((m) => m[1]).join('\n'));
      const type = attr('office:value-type') ?? 'empty';
      const value = decode(attr('office:value') ?? attr('office:date-value') ?? attr('office:boolean-value') ?? text);
      const formula = attr('table:formula') ?? null;
      const repeat = Number(attr('table:number-columns-repeated') ?? 1);
      for (let i = 0; i < Math.min(repeat, 64); i++) cells.push({ type, value, text, formula });
    }
    rows.push(cells);
  }
  return rows;
}

/** Rows (from `fodsRows`) as header-keyed records (first row is the header). */
export function fodsRecords(table: FodsCell[][]): Record<string, FodsCell>[] {
  const [header, ...rows] = table;
  const names = header!.map((c) => c.text);
  return rows
    .filter((r) => r.some((c) => c.type !== 'empty'))
    .map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? { type: 'empty', value: '', text: '', formula: null }])));
}
