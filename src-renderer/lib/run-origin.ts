/**
 * How a run is described by where it came from: an external run (a labeling made elsewhere) has no parameters,
 * so every parameter shows as n/a and its algorithm as the labels file it came from.
 */
import type { RunInfo } from '../../src-shared/api';
import { zipSync } from 'fflate';

/** What the run-page and table cells show for a parameter an external run does not have. */
export const NOT_APPLICABLE = 'n/a';

export function isExternal(run: Pick<RunInfo, 'origin'>): boolean {
  return run.origin.kind === 'external';
}

/** A parameter's value for display: n/a on an external run. */
export function paramValue<T>(run: Pick<RunInfo, 'origin'>, value: T): T | string {
  return isExternal(run) ? NOT_APPLICABLE : value;
}

/** "init k-means++ · n_init auto · max_iter 300 · tol 0.0001 · seed 0[ · batch 1024]", or where an external run came from. */
export function paramsSummary(run: Pick<RunInfo, 'origin' | 'params'>): string {
  if (isExternal(run)) return `parameters ${NOT_APPLICABLE}: labels from ${run.origin.source ?? 'a file'}`;
  const p = run.params;
  const parts = [`init ${p.init}`, `n_init ${p.nInit}`, `max_iter ${p.maxIter}`, `tol ${p.tol}`, `seed ${p.seed}`];
  if (p.algorithm === 'minibatch') parts.push(`batch ${p.batchSize}`);
  if (run.origin.kind === 'cli') parts.push('from the command line');
  return parts.join(' · ');
}

/** The export files as one .zip (stored, not compressed: the .npy files are what a notebook reads). */
export function exportZip(files: { name: string; bytes: Uint8Array }[], folder: string): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [`${folder}/${f.name}`, f.bytes])), { level: 0 });
}
