/** Table sorting shared by every sortable table: one comparison, missing values last in either direction. */

export type SortDir = 'asc' | 'desc';
export type SortValue = string | number | null;

/** Numbers by value, strings in natural order ("k=2" before "k=10"); null after everything, whatever the direction. */
export function compareValues(a: SortValue, b: SortValue, dir: SortDir): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { numeric: true });
  return dir === 'asc' ? c : -c;
}

/** A header click: the same column flips direction; another starts descending for numbers, ascending for text. */
export function nextSortOf<K extends string>(current: { key: K; dir: SortDir }, key: K, numeric: boolean): { key: K; dir: SortDir } {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: numeric ? 'desc' : 'asc' };
}

/** The `aria-sort` of a column header: whether the table is sorted by it, and which way. */
export function ariaSort(sortedBy: boolean, dir: SortDir): 'ascending' | 'descending' | 'none' {
  return sortedBy ? (dir === 'asc' ? 'ascending' : 'descending') : 'none';
}
