import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { pngStructureProblem } from './png-check';
import type { Dataset } from '../../src-shared/model';
import { DatasetError, displayName } from './errors';
import { formatBytes, type ImportLimits } from './limits';
import { encodeStringLabels } from './ndarray';

/**
 * A folder (or .zip) of PNG/JPEG images as a dataset: one row per image, uint8 pixels (scale 1/255),
 * every image of the same size (mixed sizes are refused, naming two files and their sizes).
 * Color: 'auto' keeps RGB only when some pixel has R ≠ G or G ≠ B, otherwise one gray channel;
 * 'gray' converts with ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B); 'rgb' keeps three channels.
 * Transparent pixels are composited over black. Labels: the subfolder of each image (the first folder
 * below the folders that every image shares); images all at the top level have no labels.
 */
export type { ColorMode } from '../../src-shared/params';
import type { ColorMode } from '../../src-shared/params';

export interface ImageFile {
  /** Path relative to the folder or inside the zip ("3/img001.png"). */
  path: string;
  bytes: Uint8Array;
}

export function isImageName(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return /\.(png|jpe?g)$/i.test(base) && !base.startsWith('.') && !name.split('/').includes('__MACOSX');
}

export function looksLikeImage(bytes: Uint8Array): boolean {
  return looksLikePng(bytes) || looksLikeJpeg(bytes);
}

const looksLikePng = (b: Uint8Array): boolean => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const looksLikeJpeg = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

interface ImageInfo {
  width: number;
  height: number;
  /** True when the file itself stores gray only (PNG gray types, 1-component JPEG). */
  gray: boolean;
}

/** Size and color type from the file header, without decoding. */
export function imageInfo(where: string, b: Uint8Array): ImageInfo {
  if (looksLikePng(b)) {
    if (b.length < 33 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') throw new DatasetError(where, 'is a truncated or corrupt PNG (no IHDR header)');
    const problem = pngStructureProblem(b);
    if (problem) throw new DatasetError(where, problem);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const colorType = b[25];
    return { width: v.getUint32(16, false), height: v.getUint32(20, false), gray: colorType === 0 || colorType === 4 };
  }
  if (looksLikeJpeg(b)) {
    let at = 2;
    while (at + 9 < b.length) {
      if (b[at] !== 0xff) throw new DatasetError(where, 'is a corrupt JPEG (bad marker)');
      const marker = b[at + 1];
      if (marker === 0xff) { at++; continue; }
      const len = (b[at + 2] << 8) | b[at + 3];
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: (b[at + 5] << 8) | b[at + 6], width: (b[at + 7] << 8) | b[at + 8], gray: b[at + 9] === 1 };
      }
      if (len < 2) throw new DatasetError(where, 'is a corrupt JPEG (bad segment length)');
      at += 2 + len;
    }
    throw new DatasetError(where, 'is a truncated or corrupt JPEG (no frame header)');
  }
  throw new DatasetError(where, 'is not a PNG or JPEG image');
}

/** RGBA pixels of a PNG or JPEG, checked against its header's size. */
function decode(where: string, bytes: Uint8Array, info: ImageInfo, limits: ImportLimits): Uint8Array {
  try {
    if (looksLikePng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (png.width !== info.width || png.height !== info.height) throw new Error('size differs from its header');
      return png.data;
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: limits.maxImagePixels / 1e6,
      maxMemoryUsageInMB: Math.max(64, (limits.maxImagePixels * 8) / 2 ** 20),
    });
    if (img.width !== info.width || img.height !== info.height) throw new Error('size differs from its header');
    return img.data;
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const kind = looksLikePng(bytes) ? 'PNG' : 'JPEG';
    throw new DatasetError(where, `is not a valid ${kind} image (${(e as Error)?.message ?? String(e)})`);
  }
}

/**
 * Builds a dataset from image files. `source` is the folder or zip (for messages and the dataset name).
 */
export function imagesToDataset(
  source: string,
  files: ImageFile[],
  opts: { color?: ColorMode; limits: ImportLimits; onProgress?: (fraction: number) => void },
): Dataset {
  const images = files.filter((f) => isImageName(f.path) || looksLikeImage(f.bytes)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { limits } = opts;
  const color = opts.color ?? 'auto';
  const where = (f: ImageFile): string => `${displayName(source)} › ${f.path}`;
  if (images.length === 0) throw new DatasetError(source, 'holds no PNG or JPEG images');
  if (images.length > limits.maxFiles) throw new DatasetError(source, `holds ${images.length} images, more than the limit of ${limits.maxFiles}`);

  const labelNames = folderLabels(source, images.map((f) => f.path));
  const infos = images.map((f) => imageInfo(where(f), f.bytes));
  const { width, height } = infos[0];
  if (width === 0 || height === 0) throw new DatasetError(where(images[0]), `has an empty size ${width}×${height}`);
  if (width * height > limits.maxImagePixels) {
    throw new DatasetError(where(images[0]), `is ${width}×${height} pixels, more than the limit of ${limits.maxImagePixels} pixels per image`);
  }
  infos.forEach((info, i) => {
    if (info.width !== width || info.height !== height) {
      throw new DatasetError(
        source,
        `holds images of different sizes: ${images[0].path} is ${width}×${height} but ${images[i].path} is ${info.width}×${info.height}; resize them to one size first`,
      );
    }
  });
  const maybeColor = color === 'rgb' || (color === 'auto' && infos.some((i) => !i.gray));
  const channels = maybeColor ? 3 : 1;
  const n = images.length;
  const pixels = width * height;
  const bytes = n * pixels * channels;
  if (bytes > limits.maxMatrixBytes) {
    throw new DatasetError(source, `holds ${n} images of ${width}×${height}×${channels} = ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxMatrixBytes)}`);
  }
  let data = new Uint8Array(bytes);
  let allGray = true;
  images.forEach((f, i) => {
    const rgba = decode(where(f), f.bytes, infos[i], limits);
    const base = i * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      const a = rgba[4 * p + 3];
      let r = rgba[4 * p];
      let g = rgba[4 * p + 1];
      let b = rgba[4 * p + 2];
      if (a !== 255) {
        r = Math.round((r * a) / 255);
        g = Math.round((g * a) / 255);
        b = Math.round((b * a) / 255);
      }
      if (channels === 3) {
        data[base + 3 * p] = r;
        data[base + 3 * p + 1] = g;
        data[base + 3 * p + 2] = b;
        if (r !== g || g !== b) allGray = false;
      } else {
        data[base + p] = r === g && g === b ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    if (opts.onProgress && (i % 64 === 63 || i === n - 1)) opts.onProgress((i + 1) / n);
  });
  let finalChannels = channels;
  if (channels === 3 && color === 'auto' && allGray) {
    const gray = new Uint8Array(n * pixels);
    for (let k = 0; k < gray.length; k++) gray[k] = data[3 * k];
    data = gray;
    finalChannels = 1;
  }
  const dataset: Dataset = {
    name: displayName(source).replace(/\.zip$/i, '') || 'images',
    source,
    n,
    d: pixels * finalChannels,
    dtype: 'uint8',
    data,
    scale: 1 / 255,
    imageShape: [height, width, finalChannels],
  };
  if (labelNames) Object.assign(dataset, encodeStringLabels(labelNames));
  return dataset;
}

/**
 * The label of each image: the first folder below the folders shared by every path, or null when
 * every image sits directly in the shared folder. A mix of both is refused.
 */
function folderLabels(source: string, paths: string[]): string[] | null {
  const parts = paths.map((p) => p.split('/').filter((s) => s !== ''));
  let shared = 0;
  for (;;) {
    const first = parts[0][shared];
    if (parts.every((p) => p.length > shared + 1 && p[shared] === first)) shared++;
    else break;
  }
  const inFolder = parts.filter((p) => p.length > shared + 1).length;
  if (inFolder === 0) return null;
  if (inFolder !== parts.length) {
    const loose = paths[parts.findIndex((p) => p.length <= shared + 1)];
    throw new DatasetError(source, `mixes images in class folders with images outside any (${loose}); put every image in a class folder, or none`);
  }
  return parts.map((p) => p[shared]);
}
