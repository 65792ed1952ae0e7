/** The claims audit in report.json: published figures set beside the recomputed ones (snake_case, as on disk). */

export type ShareBasis = 'exclusive' | 'availability' | 'shared';

export interface AuditBasis {
  basis: ShareBasis;
  /** What the basis means in words, e.g. `PyTorch only, share of all models`. */
  description: string;
  pct: number;
  holds: boolean;
}

export interface AuditClaim {
  id: string;
  /** The published words. */
  quote: string;
  framework: string;
  qualifier: 'almost' | 'about';
  stated_pct: number;
  /** The basis the wording names. */
  intended_basis: ShareBasis;
  /** Accepted interval for the stated figure, in percent. */
  accepted: [number, number];
  recomputed_pct: number;
  holds: boolean;
  bases: AuditBasis[];
  /** Bases on which the stated figure would hold. */
  holding_bases: ShareBasis[];
  verdict: string;
}

export interface ClaimsAudit {
  status: 'computed' | 'unavailable';
  reason: string | null;
  comparison: string | null;
  observed_at: string | null;
  method: string | null;
  tolerances: { almost: string; about: string };
  claims: AuditClaim[];
}
