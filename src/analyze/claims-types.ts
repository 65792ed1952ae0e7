/**
 * The claims audit in report.json: published figures set beside the recomputed ones (snake_case, as on disk).
 * Any series kind may carry claims (an extension its collector implements); each audit checks the claims about
 * one series, and every claim says on which basis and on which date(s) or quarter(s) it was checked.
 */

/** The Hub's share bases: exclusive to a framework, available for it, shared by all. */
export type ShareBasis = 'exclusive' | 'availability' | 'shared';

export interface AuditBasis {
  /** A short id of the basis (`exclusive`, `repos-share`, …); the Hub's are its ShareBasis values. */
  basis: string;
  /** What the basis means in words, e.g. `PyTorch only, share of all models`. */
  description: string;
  pct: number;
  holds: boolean;
  /** The date or quarter this basis was computed on, when it differs from the claim's. */
  checked_on?: string;
}

export interface AuditClaim {
  id: string;
  /** The published words. */
  quote: string;
  framework: string;
  qualifier: 'almost' | 'about';
  stated_pct: number;
  /** The basis the wording names. */
  intended_basis: string;
  /** Accepted interval for the stated figure, in percent. */
  accepted: [number, number];
  recomputed_pct: number;
  holds: boolean;
  bases: AuditBasis[];
  /** Bases on which the stated figure would hold. */
  holding_bases: string[];
  /** The observation date(s) or quarter(s) the intended basis was checked on. */
  checked_on: string[];
  verdict: string;
  /** What a reader must know beside the verdict (a figure the data cannot reproduce, a proxy used), or null. */
  note: string | null;
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
