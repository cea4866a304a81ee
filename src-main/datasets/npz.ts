import { displayName, DatasetError } from './errors';
import { type ImportLimits } from './limits';
import type { NdArray } from './ndarray';
import { parseNpy, parseNpyHeader } from './npy';
import { checkArchiveSize, listZip, readZipEntry, type ZipEntry } from './zip';

/**
 * NumPy `.npz` (a zip of .npy files, from np.savez or np.savez_compressed): the data is `X` with labels
 * `y`, or `data` with `labels`, or else the first array of 2 or more dimensions and the first 1-D array.
 */
export interface NpzArrays {
  data: { name: string; array: NdArray };
  labels: { name: string; array: NdArray } | null;
}

const PAIRS: [string, string][] = [
  ['X', 'y'],
  ['x', 'y'],
  ['data', 'labels'],
  ['images', 'labels'],
  ['x_train', 'y_train'],
];

export function parseNpz(file: string, bytes: Uint8Array, limits: ImportLimits): NpzArrays {
  const entries = listZip(file, bytes, limits).filter((e) => e.name.endsWith('.npy'));
  if (entries.length === 0) throw new DatasetError(file, 'holds no .npy arrays');
  const byKey = new Map(entries.map((e) => [e.name.slice(0, -4), e]));
  const label = (e: ZipEntry): string => `${displayName(file)} › ${e.name}`;
  const read = (e: ZipEntry): { name: string; array: NdArray } => ({
    name: label(e),
    array: parseNpy(label(e), readZipEntry(file, bytes, e, limits), limits),
  });
  for (const [x, y] of PAIRS) {
    const dataEntry = byKey.get(x);
    if (!dataEntry) continue;
    const labelsEntry = byKey.get(y) ?? null;
    checkArchiveSize(file, labelsEntry ? [dataEntry, labelsEntry] : [dataEntry], limits);
    return { data: read(dataEntry), labels: labelsEntry ? read(labelsEntry) : null };
  }
  // No conventional names (np.savez(a, b) gives arr_0, arr_1): look at each header, in order.
  checkArchiveSize(file, entries, limits);
  let data: ZipEntry | null = null;
  let labels: ZipEntry | null = null;
  for (const e of entries) {
    const content = readZipEntry(file, bytes, e, limits);
    const ndim = parseNpyHeader(label(e), content, limits).shape.length;
    if (ndim >= 2 && !data) data = e;
    if (ndim === 1 && !labels) labels = e;
    if (data && labels) break;
  }
  if (!data) throw new DatasetError(file, `holds no array of 2 or more dimensions (arrays: ${[...byKey.keys()].join(', ')})`);
  return { data: read(data), labels: labels ? read(labels) : null };
}
