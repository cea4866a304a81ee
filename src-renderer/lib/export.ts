/** Export of a run: labels CSV, centers CSV and PNG sheet, the run as JSON. Text builders are pure and tested. */
import type { ContingencyReply, RunArrays, RunInfo } from '../../src-shared/api';
import type { ImageShape } from '../../src-shared/model';
import { imageToRgba, valueRange } from './image';

/** "row,cluster" then one line per row. */
export function labelsCsv(labels: Int32Array): string {
  const lines = ['row,cluster'];
  for (let i = 0; i < labels.length; i++) lines.push(`${i},${labels[i]}`);
  return lines.join('\n') + '\n';
}

/** "cluster,x0,…,x{d−1}" then one line per center, full float64 precision. */
export function centersCsv(centers: Float64Array, k: number, d: number): string {
  const head = ['cluster', ...Array.from({ length: d }, (_, j) => `x${j}`)].join(',');
  const lines = [head];
  for (let c = 0; c < k; c++) lines.push([c, ...Array.from(centers.subarray(c * d, (c + 1) * d))].join(','));
  return lines.join('\n') + '\n';
}

/** The run, its metrics, centers, labels and contingency table as one JSON document. */
export function runJson(run: RunInfo, arrays: RunArrays, contingency: ContingencyReply | null): string {
  return JSON.stringify(
    {
      format: 'kmeans-explorer/run@1',
      run,
      // centers in the units the run clustered in; the transform (x' = (x − offset) × factor) brings feature units there
      centers: arrays.centers ? { k: arrays.k, d: arrays.d, units: run.preprocessing, rowMajor: Array.from(arrays.centers) } : null,
      transform: arrays.transform ? { offset: Array.from(arrays.transform.offset), factor: Array.from(arrays.transform.factor) } : null,
      labels: arrays.labels ? Array.from(arrays.labels) : null,
      history: arrays.history,
      silhouette: arrays.silhouette
        ? { exact: arrays.silhouette.exact, indices: Array.from(arrays.silhouette.indices), values: Array.from(arrays.silhouette.values) }
        : null,
      contingency: contingency
        ? {
            classNames: contingency.classNames,
            matrix: Array.from(contingency.matrix),
            clusterToClass: Array.from(contingency.clusterToClass),
            matchedAccuracy: contingency.matchedAccuracy,
          }
        : null,
    },
    null,
    1,
  );
}

/** Layout of the centers sheet: columns, rows and cell size of a k-image grid. */
export function sheetLayout(k: number, shape: ImageShape, scale: number, pad: number): { cols: number; rows: number; cellW: number; cellH: number } {
  const cols = Math.min(k, Math.ceil(Math.sqrt(k)));
  return { cols, rows: Math.ceil(k / cols), cellW: shape[1] * scale + pad, cellH: shape[0] * scale + pad };
}

/** One tile of the centers sheet: which cluster, and its caption (the gallery's: "#2 “7”"). */
export interface CenterTile {
  cluster: number;
  caption: string;
}

/** The gallery's tiles: clusters in `order` (default 0 … k − 1), captioned "#c" and the matched (else majority) label. */
export function centerTiles(k: number, order: readonly number[] | null, labelOf: (c: number) => string | null | undefined): CenterTile[] {
  return (order ?? Array.from({ length: k }, (_, c) => c)).map((c) => {
    const label = labelOf(c);
    return { cluster: c, caption: label ? `#${c} “${label}”` : `#${c}` };
  });
}

/**
 * Draws the centers on one canvas, in the tiles' order with their captions (as the gallery shows them), and
 * returns it as a PNG blob.
 */
export async function centersPng(
  centers: Float64Array, k: number, d: number, shape: ImageShape, tiles: CenterTile[] = centerTiles(k, null, () => null), scale = 4, pad = 8,
): Promise<Blob> {
  const captionH = 18;
  const { cols, rows, cellW, cellH } = sheetLayout(tiles.length, shape, scale, pad);
  const canvas = document.createElement('canvas');
  canvas.width = cols * cellW + pad;
  canvas.height = rows * (cellH + captionH) + pad;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'top';
  const tile = document.createElement('canvas');
  tile.width = shape[1];
  tile.height = shape[0];
  const tctx = tile.getContext('2d')!;
  tiles.forEach((t, slot) => {
    const row = centers.subarray(t.cluster * d, (t.cluster + 1) * d);
    const img = new ImageData(shape[1], shape[0]);
    img.data.set(imageToRgba(row, shape, valueRange(row)));
    tctx.putImageData(img, 0, 0);
    const x = pad + (slot % cols) * cellW;
    const y = pad + Math.floor(slot / cols) * (cellH + captionH);
    ctx.drawImage(tile, x, y, shape[1] * scale, shape[0] * scale);
    ctx.fillStyle = '#222222';
    ctx.fillText(t.caption, x, y + shape[0] * scale + 3, shape[1] * scale);
  });
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

/** Saves a blob through a temporary link (works in Electron and the browser). */
export function download(data: Blob | string, filename: string, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file-name-safe version of a run name. */
export function slug(name: string): string {
  return name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'run';
}
