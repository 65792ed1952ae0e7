/**
 * The page's one stylesheet, inline (its hash is in the Content-Security-Policy). Colours keep text at a contrast
 * of at least 4.5:1 on white; wide tables scroll in their own box; charts shrink to the width and never split
 * across printed pages.
 */
export const PAGE_STYLE = `
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1a1a1a; font: 16px/1.5 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; overflow-wrap: break-word; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.2rem 0 0.4rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2rem 0 0.5rem; padding-top: 0.75rem; border-top: 2px solid #d0d0d0; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
a { color: #0b57a4; }
code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 0.9em; }
td.long { min-width: 16rem; overflow-wrap: anywhere; }
td.prose { min-width: 16rem; }
.token { white-space: nowrap; }
.origin { font-weight: bold; }
.notice { border: 2px solid #a50021; background: #fff4f5; color: #7a0019; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
.notice ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.missing { border-left: 4px solid #595959; padding: 0.25rem 0.75rem; }
.age { color: #4a4a4a; margin: 0.25rem 0; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; margin: 0.5rem 0; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg.chart { display: block; width: 100%; max-width: 900px; height: auto; }
.chart-box { overflow-x: auto; max-width: 100%; }
figcaption { color: #4a4a4a; font-size: 0.9rem; margin-top: 0.25rem; }
.scroll { position: relative; overflow-x: auto; max-width: 100%; margin: 0.75rem 0; }
.scroll:focus { outline: 2px solid #0b57a4; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; position: sticky; left: 0; max-width: calc(100vw - 2.5rem); }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #d0d0d0; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #8a8a8a; }
th[scope="row"] { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.matrix thead th { white-space: normal; }
.verdicts { font-weight: bold; padding-left: 1.25rem; }
.dir { font-weight: bold; }
.gaining { color: #116329; }
.losing { color: #a40e26; }
.steady { color: #3d3d3d; }
.na { color: #595959; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: #0b57a4; }
dt { font-weight: bold; margin-top: 0.4rem; }
dd { margin: 0 0 0 1rem; }
footer { color: #4a4a4a; font-size: 0.9rem; margin-top: 2rem; padding-bottom: 2rem; }
@media (max-width: 600px) {
  body { font-size: 15px; }
  figure svg.chart { min-width: 640px; }
  header, main, footer { padding: 0 10px; }
  th, td { padding: 0.25rem 0.4rem; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  .scroll { overflow: visible; }
  /* Paper cannot scroll: tables shrink and wrap to the page's width instead. */
  table { font-size: 7.5pt; width: 100%; }
  th, td { padding: 0.1rem 0.2rem; }
  .num, .token, th[scope="row"] { white-space: normal; }
  td.prose, td.long { min-width: 0; }
  caption { position: static; max-width: none; }
  .chart-box { overflow: visible; }
  figure svg.chart { min-width: 0; max-width: 100%; max-height: 250mm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .notice { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; }
}
`;
