import type { AuditEntry, Report } from '../analyze/report-types.js';
import { textTable } from './text-table.js';

/** `report --audit`: the published percentages beside the recomputed ones, one block per series with claims. */
export function renderAudit(report: Report): string {
  if (report.audits.length === 0) return 'Claims audit: not available: no configured source carries claims to check\n';
  return report.audits.map(renderOne).join('\n');
}

function renderOne(entry: AuditEntry): string {
  const audit = entry.result;
  if (audit.status !== 'computed') return `Claims audit (${entry.source}): not available: ${audit.reason}\n`;
  const checkedOn = (dates: readonly string[]) => dates.join(', ');
  const out = [
    `Claims audit (${entry.source}): ${audit.comparison} on ${audit.observed_at} (${audit.method} counts)`,
    `Tolerances: ${audit.tolerances.almost}; ${audit.tolerances.about}`,
    textTable(
      [
        ['claim', 'stated', 'accepted', 'recomputed', 'holds', 'checked on'],
        ...audit.claims.map((c) => [
          `"${c.quote}"`,
          `${c.qualifier} ${c.stated_pct} %`,
          `${c.accepted[0]}-${c.accepted[1]} %`,
          `${c.recomputed_pct.toFixed(2)} %`,
          c.holds ? 'yes' : 'no',
          checkedOn(c.checked_on),
        ]),
      ],
      [false, false, false, true, false, false],
    ),
    '',
  ];
  for (const c of audit.claims) {
    out.push(`${c.id}: ${c.verdict}`);
    out.push(
      `  all bases: ${c.bases.map((b) => `${b.description}${b.checked_on ? ` (${b.checked_on})` : ''} ${b.pct.toFixed(2)} %${b.holds ? ' (in range)' : ''}`).join('; ')}`,
    );
    if (c.note) out.push(`  note: ${c.note}`);
  }
  return `${out.join('\n')}\n`;
}
