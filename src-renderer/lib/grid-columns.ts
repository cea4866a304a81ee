/** Columns of a thumbnail grid so its last row is not ragged. */

/**
 * The number of columns, at most `maxCols`, that splits `count` tiles into full rows: the largest divisor of
 * `count` not above `maxCols`, unless that would leave more than half of the width unused (a prime count), then
 * `maxCols`. `count` ≤ `maxCols` keeps one row of `count`.
 */
export function fullRowColumns(count: number, maxCols: number): number {
  const max = Math.max(1, Math.floor(maxCols));
  if (count <= max) return Math.max(1, count);
  for (let c = max; c >= 1; c--) if (count % c === 0) return c * 2 > max ? c : max;
  return max;
}

/** How many tiles of `tile` px with `gap` px between fit in `width` px (at least one). */
export function columnsThatFit(width: number, tile: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (tile + gap)));
}
