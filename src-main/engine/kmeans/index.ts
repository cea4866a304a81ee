/**
 * Public entry of the K-means engine: fitKMeans(X, params, options).
 * Called by the CLI, the job worker and the benchmark. Semantics are scikit-learn 1.2's KMeans
 * (algorithm 'kmeans', Lloyd) and MiniBatchKMeans (algorithm 'minibatch'), see README section "engine".
 */
import type { DataMatrix, IterationInfo, KMeansParams, KMeansResult } from '../../../src-shared/model';
import { ParamError } from '../errors';
import { defaultLloydKernel, fastMeanFeatureVariance } from '../kernels/default';
import type { LloydKernel } from '../kernels/types';
import { effectiveNInit, resolveParams } from '../params';
import { Rng } from '../rng';
import { isSameClustering, makeCheckpoint, meanFeatureVariance, rowsAsCenters, type FitContext } from './common';
import { initIndices } from './init';
import { lloydRun, type LloydRun } from './lloyd';
import { miniBatchFit } from './minibatch';

export { ParamError, CancelledError } from '../errors';
export { DEFAULT_PARAMS, resolveParams } from '../params';

export interface FitOptions {
  /** Called after every iteration (Lloyd) or batch step (mini-batch) of every initialisation. Not throttled. */
  onProgress?: (p: IterationInfo & { fraction: number }) => void;
  /** Aborting makes fitKMeans reject with CancelledError (checked between iterations / batch steps). */
  signal?: AbortSignal;
  /** k × d initial centers in feature units; forces nInit = 1 (as scikit-learn with an array init). */
  initCenters?: Float64Array;
  /** Inner loops; default defaultLloydKernel(X): WASM SIMD on every core for large uint8/float32 data, else pure TS. */
  kernel?: LloydKernel;
}

/**
 * Clusters the n rows of X (value of row i, feature j: X.data[i·d + j] · X.scale) into k clusters.
 * Parameters are validated here, once (ParamError names the bad one); unset ones take scikit-learn's defaults.
 */
export async function fitKMeans(
  X: DataMatrix,
  params: Partial<KMeansParams> & { k: number },
  options: FitOptions = {},
): Promise<KMeansResult> {
  checkMatrix(X);
  const p = resolveParams(params, X.n);
  const { n, d, data, scale } = X;
  const kernel = options.kernel ?? defaultLloydKernel(X);
  const scale2 = scale * scale;

  let initRaw: Float64Array | null = null;
  if (options.initCenters !== undefined) {
    const ic = options.initCenters;
    if (!(ic instanceof Float64Array) || ic.length !== p.k * d) {
      throw new ParamError('initCenters', `initCenters must be a Float64Array of k×d = ${p.k * d} values, got length ${ic?.length}`);
    }
    if (!ic.every(Number.isFinite)) throw new ParamError('initCenters', 'initCenters must be finite');
    initRaw = ic.map((v) => v / scale);
  }

  const rowNorms = new Float64Array(n);
  kernel.rowNorms(data, d, 0, n, rowNorms);
  const ctx: FitContext = {
    data, n, d, scale, kernel, rowNorms,
    signal: options.signal,
    onProgress: options.onProgress,
    checkpoint: makeCheckpoint(options.signal),
  };
  await ctx.checkpoint();
  const nInit = initRaw ? 1 : effectiveNInit(p);
  const tolRaw = p.tol === 0 ? 0 : (fastMeanFeatureVariance(data, n, d) ?? meanFeatureVariance(data, n, d)) * p.tol;
  const rng = new Rng(p.seed);

  if (p.algorithm === 'minibatch') {
    const r = await miniBatchFit(ctx, p, nInit, tolRaw, rng, initRaw);
    return finish(r.centers, r.labels, r.inertia, r.nIter, r.bestRun, r.history);
  }

  let best: LloydRun | null = null;
  let bestRun = 0;
  // as scikit-learn: one RandomState for the whole fit, each init continues its stream
  for (let run = 0; run < nInit; run++) {
    const init = initRaw ?? rowsAsCenters(data, d, initIndices(p.init, data, n, d, rowNorms, p.k, rng, kernel));
    const r = await lloydRun(ctx, init, p.k, p.maxIter, tolRaw, run, nInit);
    // as scikit-learn: keep a later run only if it is better and not the same partition (rounding noise)
    if (best === null || (r.inertia < best.inertia && !isSameClustering(r.labels, best.labels, p.k))) {
      best = r;
      bestRun = run;
    }
  }
  const b = best as LloydRun;
  return finish(b.centers, b.labels, b.inertia, b.nIter, bestRun, b.history);

  function finish(
    centersRaw: Float64Array,
    labels: Int32Array,
    inertiaRaw: number,
    nIter: number,
    bestRun: number,
    history: IterationInfo[],
  ): KMeansResult {
    return { centers: centersRaw.map((v) => v * scale), labels, inertia: inertiaRaw * scale2, nIter, bestRun, history };
  }
}

function checkMatrix(X: DataMatrix): void {
  if (X === null || typeof X !== 'object') throw new ParamError('X', 'X must be a data matrix');
  const { n, d, data, scale } = X;
  if (!Number.isInteger(n) || n < 1) throw new ParamError('X', `X must have at least one row, got n=${String(n)}`);
  if (!Number.isInteger(d) || d < 1) throw new ParamError('X', `X must have at least one column, got d=${String(d)}`);
  if (!(data instanceof Uint8Array || data instanceof Float32Array || data instanceof Float64Array)) {
    throw new ParamError('X', 'X.data must be a Uint8Array, Float32Array or Float64Array');
  }
  if (data.length !== n * d) throw new ParamError('X', `X.data must hold n×d = ${n * d} values, got ${data.length}`);
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw new ParamError('X', `X.scale must be a finite number > 0, got ${String(scale)}`);
  }
  if (!(data instanceof Uint8Array)) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new ParamError('X', `X contains a non-finite value at row ${Math.floor(i / d)}`);
    }
  }
}
