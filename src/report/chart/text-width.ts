/**
 * Text widths without measuring fonts at run time, so layout stays deterministic: the advance widths of
 * DejaVu Sans and DejaVu Sans Bold (the charts' first font, and among the widest of the fallbacks) for
 * printable ASCII, in thousandths of an em, rounded up (read from the fonts' hmtx tables). Other characters
 * count as a full em, wider than nearly all Latin and as wide as CJK, so a label laid out here fits when drawn.
 */

const REGULAR =
  '318,401,460,838,637,951,780,275,391,391,500,838,318,361,318,337,637,637,637,637,637,637,637,637,637,637,337,337,838,838,838,531,1000,685,687,699,771,632,576,775,752,295,295,656,558,863,749,788,604,788,695,635,611,732,685,989,686,611,686,391,337,391,838,500,500,613,635,550,635,616,353,635,634,278,278,580,278,975,634,612,635,635,412,521,393,634,592,818,592,592,525,637,337,637,838';
const BOLD =
  '349,457,521,838,696,1002,873,307,458,458,523,838,380,416,380,366,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,581,1000,774,763,734,831,684,684,821,837,373,373,775,638,996,837,851,733,851,771,721,683,813,774,1104,771,725,726,458,366,458,838,500,500,675,716,593,716,679,436,716,712,343,343,666,343,1042,712,688,716,716,494,596,479,712,652,924,646,652,583,712,366,712,838';

const TABLES = { regular: REGULAR.split(',').map(Number), bold: BOLD.split(',').map(Number) };
const OTHER = 1000;

export interface Font {
  size: number;
  bold?: boolean;
}

/** Width in pixels of `content` drawn at `font`. */
export function textWidth(content: string, font: Font): number {
  const table = font.bold ? TABLES.bold : TABLES.regular;
  let thousandths = 0;
  for (const char of content) {
    const code = char.codePointAt(0)!;
    thousandths += code >= 32 && code <= 126 ? table[code - 32]! : OTHER;
  }
  return (thousandths / 1000) * font.size;
}

/** `content`, cut with an ellipsis to fit `max` pixels (whole when it fits). */
export function fitText(content: string, max: number, font: Font): string {
  if (textWidth(content, font) <= max) return content;
  const chars = [...content];
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, font) > max) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Words into lines at most `max` pixels wide; a word wider than a line is broken over lines (nothing is lost). */
export function wrapText(content: string, max: number, font: Font): string[] {
  const lines: string[] = [];
  for (const word of content.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && textWidth(`${last} ${word}`, font) <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(...breakWord(word, max, font));
  }
  return lines;
}

function breakWord(word: string, max: number, font: Font): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece !== '' && textWidth(piece + char, font) > max) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  return [...pieces, piece];
}
