/**
 * Exclusive segments of n overlapping sets from "has all of these" counts. A source that answers "how many
 * items carry tags A and B", not "A and B but not C", gives every Venn region by inclusion–exclusion:
 * exactly(S) = Σ over supersets T ⊇ S of (-1)^(|T|-|S|) · count(T).
 * Subsets are bitmasks over the members' positions (bit i = member i).
 */

export function popcount(mask: number): number {
  let bits = 0;
  for (let m = mask; m > 0; m >>= 1) bits += m & 1;
  return bits;
}

/** Members of a mask, in member order. */
export function maskMembers(mask: number, n: number): number[] {
  const members: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
  return members;
}

/**
 * Every non-empty subset of n members: singles first, then pairs, …, ties in member order. This is the
 * order of segments in every output, so it must not depend on the counts.
 */
export function nonEmptySubsets(n: number): readonly number[] {
  // Called per snapshot (years of daily ones): the order depends on n alone, so it is computed once per n.
  let cached = subsetOrder.get(n);
  if (!cached) {
    cached = Object.freeze(sortedSubsets(n));
    subsetOrder.set(n, cached);
  }
  return cached;
}

const subsetOrder = new Map<number, readonly number[]>();

function sortedSubsets(n: number): number[] {
  const masks: number[] = [];
  for (let mask = 1; mask < 1 << n; mask++) masks.push(mask);
  const key = (mask: number) => maskMembers(mask, n);
  return masks.sort((a, b) => {
    const size = popcount(a) - popcount(b);
    if (size !== 0) return size;
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  });
}

/** Count of items in exactly each subset (and in no other member), given counts of "in all of T" for every T. */
export function exactSegments(n: number, countAll: ReadonlyMap<number, number>): Map<number, number> {
  const full = (1 << n) - 1;
  const segments = new Map<number, number>();
  for (const mask of nonEmptySubsets(n)) {
    let exactly = 0;
    // Walk the supersets of `mask` by enumerating subsets of the complement.
    const rest = full & ~mask;
    for (let extra = rest; ; extra = (extra - 1) & rest) {
      const superset = mask | extra;
      const count = countAll.get(superset);
      if (count === undefined) throw new Error(`count for subset ${superset} is missing`);
      exactly += (popcount(extra) % 2 === 0 ? 1 : -1) * count;
      if (extra === 0) break;
    }
    segments.set(mask, exactly);
  }
  return segments;
}
