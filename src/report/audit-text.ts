import type { Report } from '../analyze/report-types.js';
import { textTable } from './text-table.js';

/** `report --audit`: the published percentages beside the recomputed ones. */
export function renderAudit(report: Report): string {
  if (report.audit === null) return 'Claims audit: not available: no configured source carries claims to check\n';
  const audit = report.audit.result;
  if (audit.status !== 'computed') return `Claims audit: not available: ${audit.reason}\n`;
  const out = [
    `Claims audit: ${audit.comparison} on ${audit.observed_at} (${audit.method} counts)`,
    `Tolerances: ${audit.tolerances.almost}; ${audit.tolerances.about}`,
    textTable(
      [
        ['claim', 'stated', 'accepted', 'recomputed', 'holds'],
        ...audit.claims.map((c) => [
          `"${c.quote}"`,
          `${c.qualifier} ${c.stated_pct} %`,
          `${c.accepted[0]}-${c.accepted[1]} %`,
          `${c.recomputed_pct.toFixed(2)} %`,
          c.holds ? 'yes' : 'no',
        ]),
      ],
      [false, false, false, true, false],
    ),
    '',
  ];
  for (const c of audit.claims) {
    out.push(`${c.id}: ${c.verdict}`);
    out.push(`  all bases: ${c.bases.map((b) => `${b.description} ${b.pct.toFixed(2)} %${b.holds ? ' (in range)' : ''}`).join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
