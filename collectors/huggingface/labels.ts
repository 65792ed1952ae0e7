/**
 * How Hub framework definitions are named in stored observations. A framework is a list of alternative
 * tag sets (OR of ANDs); its label is the bare tag in the common one-tag case (`pytorch`), otherwise an
 * explicit expression (`(pytorch|safetensors&transformers)`). A combination of frameworks is their labels
 * joined by `+` in comparison order, so the default comparison stores `pytorch`, `tf` and `pytorch+tf`.
 */

/** Tags that must all be present (repeated `filter=` on the Hub API is an AND). */
export type TagSet = readonly string[];

/** Parsed `frameworks[].huggingface`: alternatives, any of which makes a model count for the framework. */
export interface HfFrameworkPart {
  tags: readonly TagSet[];
}

export function frameworkLabel(part: HfFrameworkPart): string {
  const [only, ...rest] = part.tags;
  if (only && rest.length === 0 && only.length === 1) return only[0]!;
  return `(${part.tags.map((set) => set.join('&')).join('|')})`;
}

export function combinationSubject(labels: readonly string[]): string {
  return labels.join('+');
}
