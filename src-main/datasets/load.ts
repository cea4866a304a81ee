import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../../src-shared/model';
import { readCsvFile } from './csv';
import { DatasetError } from './errors';
import { imagesToDataset, isImageName, type ImageFile } from './images';
import { parseLabelValues } from './labels-file';
import { formatBytes, resolveLimits } from './limits';
import { checkLabelCount, encodeLabels } from './ndarray';
import { fileSystemError, readFileForImport } from './files';
import { parseDatasetFiles, type ImportOptions, type InputFile } from './import';

export interface LoadOptions extends ImportOptions {
  /** A labels file (1-D .npy or IDX, or one integer per line) to use instead of one found beside the data file. */
  labels?: string;
}

/**
 * Loads a dataset from a path: an IDX images file (its labels file beside it is found by the usual
 * naming, `-images-` ↔ `-labels-`, `images-idx3` ↔ `labels-idx1`), a .npy file (with `y.npy` beside `X.npy`,
 * `labels.npy` beside `data.npy`, or `NAME_labels.npy` beside `NAME.npy`), a .npz, a CSV/TSV file (streamed),
 * a folder of PNG/JPEG images (subfolders = labels), or a .zip of images.
 */
export async function loadDatasetFromPath(path: string, opts: LoadOptions = {}): Promise<Dataset> {
  const limits = resolveLimits(opts.limits);
  if (opts.labels) {
    const ds = await loadData(path, opts, false);
    return attachLabels(ds, opts.labels, readFileForImport(opts.labels, limits), limits);
  }
  return loadData(path, opts, true);
}

async function loadData(path: string, opts: LoadOptions, labelsBeside: boolean): Promise<Dataset> {
  const limits = resolveLimits(opts.limits);
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    throw fileSystemError(path, e, limits);
  }
  if (stat.isDirectory()) return loadImageFolder(path, opts);
  if (/\.(csv|tsv|tab|txt)$/i.test(path)) {
    return readCsvFile(path, { labelColumn: opts.labelColumn, limits, onProgress: opts.onProgress });
  }
  const files: InputFile[] = [{ name: path, bytes: readFileForImport(path, limits) }];
  const labelsPath = labelsBeside ? findLabelsBeside(path) : null;
  if (labelsPath) files.push({ name: labelsPath, bytes: readFileForImport(labelsPath, limits) });
  return parseDatasetFiles(files, opts);
}

/**
 * The dataset with its true labels replaced by those of a labels file (a 1-D .npy or IDX array,
 * or one integer per line), e.g. labels dropped after the data.
 */
export function attachLabels(ds: Dataset, labelsFile: string, bytes: Uint8Array, limits = resolveLimits()): Dataset {
  const values = parseLabelValues(labelsFile, bytes, limits);
  checkLabelCount(ds.source, ds.n, labelsFile, values.length);
  return { ...ds, ...encodeLabels(labelsFile, values) };
}

/** The labels file beside a data file, by the usual naming conventions, or null. */
export function findLabelsBeside(path: string): string | null {
  const dir = dirname(path);
  const base = basename(path);
  const candidates = new Set<string>();
  const swaps: [RegExp, string][] = [
    [/images-idx3/g, 'labels-idx1'],
    [/images/g, 'labels'],
    [/Images/g, 'Labels'],
    [/idx3/g, 'idx1'],
  ];
  let name = base;
  for (const [from, to] of swaps) name = name.replace(from, to);
  if (name !== base) candidates.add(name);
  // NumPy pairs: X.npy ↔ y.npy, data.npy ↔ labels.npy, foo.npy ↔ foo_labels.npy / foo-labels.npy / foo.labels.npy
  const npy = /^(.*?)\.npy$/i.exec(base);
  if (npy) {
    const stem = npy[1];
    if (stem === 'X') candidates.add('y.npy');
    if (/^data$/i.test(stem)) candidates.add('labels.npy');
    for (const sep of ['_', '-', '.']) candidates.add(`${stem}${sep}labels.npy`);
    const xStem = /^(.*[-_.])X$/.exec(stem);
    if (xStem) candidates.add(`${xStem[1]}y.npy`);
  }
  for (const c of candidates) {
    const full = join(dir, c);
    if (existsSync(full)) return full;
    // The labels file may be compressed when the images are not, or the reverse.
    const alt = c.endsWith('.gz') ? c.slice(0, -3) : `${c}.gz`;
    if (existsSync(join(dir, alt))) return join(dir, alt);
  }
  return null;
}

/** The files of a folder, recursively, with paths relative to it (sorted, hidden files skipped). */
export function listFolder(root: string, maxFiles: number): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(relPath);
      else if (e.isFile()) {
        out.push(relPath);
        if (out.length > maxFiles) throw new DatasetError(root, `holds more than ${maxFiles} files`);
      }
    }
  };
  walk('');
  return out;
}

/** A folder of PNG/JPEG images (subfolder names are the labels). */
async function loadImageFolder(path: string, opts: LoadOptions): Promise<Dataset> {
  const limits = resolveLimits(opts.limits);
  const names = listFolder(path, limits.maxFiles).filter(isImageName);
  if (names.length === 0) throw new DatasetError(path, 'is a folder without PNG or JPEG images');
  const files: ImageFile[] = [];
  let total = 0;
  for (const rel of names) {
    const bytes = readFileForImport(join(path, rel), limits);
    total += bytes.length;
    if (total > limits.maxArchiveBytes) throw new DatasetError(path, `holds more than ${formatBytes(limits.maxArchiveBytes)} of images`);
    files.push({ path: rel, bytes });
  }
  return imagesToDataset(path, files, { color: opts.color, limits, onProgress: opts.onProgress });
}
