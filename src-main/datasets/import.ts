import type { Dataset } from '../../src-shared/model';
import { parseCsvBytes } from './csv';
import { DatasetError, displayName } from './errors';
import { gunzipLimited, gunzipPrefix, isGzip } from './gzip';
import { looksLikeIdx, parseIdx } from './idx';
import { resolveLimits, type ImportLimits } from './limits';
import { imagesToDataset, looksLikeImage, type ColorMode } from './images';
import { looksLikeNpy, parseNpy } from './npy';
import { parseNpz } from './npz';
import { checkArchiveSize, listZip, looksLikeZip, readZipEntry } from './zip';
import { arrayToLabelValues, arrayToMatrix, checkLabelCount, encodeLabels, type NdArray } from './ndarray';

/** A file handed to the importers: its name (a path or a dropped file's relative path) and its bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** CSV/TSV: the label column (a name, a 1-based number, or 'none'). */
  labelColumn?: string;
  /** Images: keep RGB, convert to gray, or decide from the pixels (default 'auto'). */
  color?: ColorMode;
  /** Fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
  limits?: Partial<ImportLimits>;
}

/** What a file is, found from its first bytes, then its extension. */
export type FileFormat = 'idx' | 'npy' | 'zip' | 'image' | 'csv';

/** Format of a file from its magic number (inside gzip too), then its extension. */
export function detectFormat(file: InputFile): FileFormat {
  const { name, bytes } = file;
  const head = isGzip(bytes) ? gunzipPrefix(name, bytes, 64) : bytes;
  if (looksLikeIdx(head)) return 'idx';
  if (looksLikeNpy(bytes)) return 'npy';
  if (looksLikeZip(bytes)) return 'zip';
  if (looksLikeImage(bytes)) return 'image';
  if (/\.(csv|tsv|tab|txt)(\.gz)?$/i.test(name)) return 'csv';
  // so a broken binary file gets its reader's message
  if (/(idx\d-ubyte|\.idx\d?)(\.gz)?$/i.test(name)) return 'idx';
  if (/\.npy$/i.test(name)) return 'npy';
  if (/\.(npz|zip)$/i.test(name)) return 'zip';
  if (/\.(png|jpe?g)$/i.test(name)) return 'image';
  if (looksLikeText(head)) return 'csv';
  throw new DatasetError(name, 'is not a supported dataset format (IDX, NumPy .npy/.npz, CSV/TSV, PNG/JPEG images or a .zip of them)');
}

function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 4096);
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) return false;
  }
  return true;
}

/**
 * Imports one dataset from dropped or named files: an IDX images file with its labels file
 * (paired by name), a .npy with its labels .npy, a .npz, a CSV/TSV, PNG/JPEG images (names may hold
 * folders: "3/img.png" is labelled "3"), or a .zip of images. The format is found from the magic number,
 * then the extension. Every failure is a DatasetError naming the file and the problem.
 */
export async function parseDatasetFiles(files: InputFile[], opts: ImportOptions = {}): Promise<Dataset> {
  const limits = resolveLimits(opts.limits);
  if (files.length === 0) throw new DatasetError('(no files)', 'nothing to import');
  if (files.length > limits.maxFiles) throw new DatasetError(files[0].name, `is one of ${files.length} files, more than the limit of ${limits.maxFiles}`);
  const formats = files.map(detectFormat);
  const kinds = new Set(formats);
  if (kinds.size > 1) throw new DatasetError(files[0].name, `is dropped with files of other formats (${[...kinds].join(', ')}); import one dataset at a time`);
  const format = formats[0];
  switch (format) {
    case 'csv': {
      if (files.length > 1) throw new DatasetError(files[1].name, 'is a second CSV file; import one CSV file at a time');
      const { name, bytes } = files[0];
      const text = isGzip(bytes) ? gunzipLimited(name, bytes, limits.maxDecompressedBytes, 'the decompressed size limit') : bytes;
      return parseCsvBytes(name, text, { labelColumn: opts.labelColumn, limits, onProgress: opts.onProgress });
    }
    case 'zip': {
      if (files.length > 1) throw new DatasetError(files[1].name, 'is dropped with a zip archive; import one archive at a time');
      const { name, bytes } = files[0];
      const entries = listZip(name, bytes, limits);
      if (/\.npz$/i.test(name) || entries.some((e) => e.name.endsWith('.npy'))) {
        const { data, labels } = parseNpz(name, bytes, limits);
        opts.onProgress?.(1);
        const ds = assembleArrays(labels ? [data, labels] : [data], limits);
        return { ...ds, name: datasetName(name), source: name };
      }
      const images = entries.filter((e) => /\.(png|jpe?g)$/i.test(e.name) && !e.name.split('/').some((p) => p.startsWith('.') || p === '__MACOSX'));
      if (images.length === 0) throw new DatasetError(name, 'holds neither .npy arrays nor PNG/JPEG images');
      checkArchiveSize(name, images, limits);
      const imageFiles = images.map((e) => ({ path: e.name, bytes: readZipEntry(name, bytes, e, limits) }));
      return imagesToDataset(name, imageFiles, { color: opts.color, limits, onProgress: opts.onProgress });
    }
    case 'image': {
      const paths = files.map((f) => f.name.replace(/\\/g, '/'));
      const top = paths.every((p) => p.includes('/')) && new Set(paths.map((p) => p.split('/')[0])).size === 1 ? paths[0].split('/')[0] : 'images';
      return imagesToDataset(top, files.map((f, i) => ({ path: paths[i], bytes: f.bytes })), { color: opts.color, limits, onProgress: opts.onProgress });
    }
    case 'idx':
    case 'npy': {
      const parse = format === 'idx' ? parseIdx : parseNpy;
      const arrays = files.map((f) => ({ name: f.name, array: parse(f.name, f.bytes, limits) }));
      opts.onProgress?.(1);
      return assembleArrays(arrays, limits);
    }
  }
}

interface NamedArray {
  name: string;
  array: NdArray;
}

/**
 * One dataset from arrays read from files: one data array (2 or more dimensions) and at most one
 * labels array (1 dimension), paired by name (…-images-… ↔ …-labels-…, idx3 ↔ idx1, X ↔ y);
 * a single 1-D array alone is data with one column.
 */
export function assembleArrays(arrays: NamedArray[], limits: ImportLimits): Dataset {
  const data = arrays.filter((a) => a.array.shape.length !== 1);
  const labels = arrays.filter((a) => a.array.shape.length === 1);
  if (data.length === 0 && labels.length === 1) return toDataset(labels[0], null, limits);
  if (data.length === 0) throw new DatasetError(labels[0].name, `and ${labels.slice(1).map((l) => displayName(l.name)).join(', ')} are all 1-D (labels); no data array to go with them`);
  if (data.length > 1) {
    throw new DatasetError(data[0].name, `is dropped with other data files (${data.slice(1).map((a) => displayName(a.name)).join(', ')}); import one dataset at a time`);
  }
  const [main] = data;
  if (labels.length === 0) return toDataset(main, null, limits);
  if (labels.length > 1) {
    const match = labels.find((l) => pairKey(l.name) === pairKey(main.name));
    if (!match) throw new DatasetError(main.name, `comes with several labels files (${labels.map((l) => displayName(l.name)).join(', ')}) and none matches its name`);
    return toDataset(main, match, limits);
  }
  return toDataset(main, labels[0], limits);
}

/** The name of a data or labels file with the words that differ between the two removed. */
export function pairKey(name: string): string {
  return displayName(name)
    .toLowerCase()
    .replace(/\.gz$/, '')
    .replace(/idx\d/g, 'idx')
    .replace(/(?<=^|[-_.])(images?|labels?|data|[xy])(?=[-_.]|$)/g, '')
    .replace(/[-_.]+/g, '.');
}

function toDataset(data: NamedArray, labels: NamedArray | null, limits: ImportLimits): Dataset {
  const matrix = arrayToMatrix(data.name, data.array, limits);
  const dataset: Dataset = {
    name: datasetName(data.name),
    source: data.name,
    ...matrix,
  };
  if (!matrix.imageShape) delete dataset.imageShape;
  if (labels) {
    const values = arrayToLabelValues(labels.name, labels.array);
    checkLabelCount(data.name, matrix.n, labels.name, values.length);
    Object.assign(dataset, encodeLabels(labels.name, values));
  }
  return dataset;
}

/** A readable dataset name from a file name: without folders and extensions. */
export function datasetName(file: string): string {
  const base = displayName(file).replace(/\.gz$/i, '').replace(/\.(csv|tsv|tab|txt|npy|npz|zip|idx\d?)$/i, '');
  return base || displayName(file);
}
