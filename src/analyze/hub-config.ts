import type { AppConfig } from '../config/types.js';
import { frameworkLabel, type HfFrameworkPart } from '../../collectors/huggingface/labels.js';

/** Typed, absence-tolerant reads of the Hub parts of the resolved config (the collector owns their parsing). */

export type HubMethod = 'exact' | 'fast' | 'both';

export interface HubSettings {
  /** Framework names per comparison, in comparison order. */
  comparisons: string[][];
  method: HubMethod;
}

/** One framework inside a comparison: its display name and the subject label stored for it. */
export interface HubComparisonMember {
  name: string;
  label: string;
}

export interface HubComparisonSpec {
  /** `PyTorch vs TensorFlow`. */
  label: string;
  members: HubComparisonMember[];
}

const HUB = 'huggingface';

export function hubSettings(config: AppConfig): HubSettings | undefined {
  const raw = config.sources[HUB] as Partial<HubSettings> | undefined;
  if (!raw || !Array.isArray(raw.comparisons)) return undefined;
  const comparisons = raw.comparisons.filter((c): c is string[] => Array.isArray(c) && c.every((n) => typeof n === 'string'));
  const method = raw.method === 'fast' || raw.method === 'both' ? raw.method : 'exact';
  return { comparisons, method };
}

export function hfFrameworkPart(config: AppConfig, name: string): HfFrameworkPart | undefined {
  const framework = config.frameworks.find((f) => f.name === name);
  const part = framework?.sources[HUB] as HfFrameworkPart | undefined;
  return part && Array.isArray(part.tags) && part.tags.length > 0 ? part : undefined;
}

export function comparisonLabel(names: readonly string[]): string {
  return names.join(' vs ');
}

/**
 * The configured comparisons with each framework's stored label. A comparison naming a framework without Hub
 * tags cannot be analysed; it is returned as a problem instead of being dropped silently.
 */
export function hubComparisons(config: AppConfig): { comparisons: HubComparisonSpec[]; problems: string[] } {
  const settings = hubSettings(config);
  const comparisons: HubComparisonSpec[] = [];
  const problems: string[] = [];
  for (const names of settings?.comparisons ?? []) {
    const label = comparisonLabel(names);
    const members: HubComparisonMember[] = [];
    for (const name of names) {
      const part = hfFrameworkPart(config, name);
      if (part) members.push({ name, label: frameworkLabel(part) });
      else problems.push(`${label}: framework ${name} has no huggingface tags configured`);
    }
    if (members.length === names.length && members.length > 0) comparisons.push({ label, members });
  }
  return { comparisons, problems };
}
