/** Aligning the clusters of two runs by their Hungarian matching (from `runs/compare`). Pure and tested. */

/**
 * Display order of run B's clusters under run A's order: slot i shows B's cluster matched to A's cluster orderA[i]
 * (null when unmatched); B's clusters matched to nothing are appended at the end.
 */
export function alignOrder(orderA: ArrayLike<number>, aToB: ArrayLike<number>, kb: number): (number | null)[] {
  const out: (number | null)[] = [];
  const used = new Set<number>();
  for (let i = 0; i < orderA.length; i++) {
    const b = aToB[orderA[i]!]!;
    if (b >= 0 && b < kb && !used.has(b)) {
      out.push(b);
      used.add(b);
    } else out.push(null);
  }
  for (let b = 0; b < kb; b++) if (!used.has(b)) out.push(b);
  return out;
}

/** The ka × kb contingency (row-major) with rows in `rowOrder` and columns in `colOrder` (null columns dropped). */
export function reorderMatrix(matrix: ArrayLike<number>, kb: number, rowOrder: ArrayLike<number>, colOrder: (number | null)[]): number[][] {
  const cols = colOrder.filter((c): c is number => c !== null);
  return Array.from(rowOrder as ArrayLike<number>, (r) => cols.map((c) => matrix[r * kb + c]!));
}
