/**
 * fitKMeans at its public edge: parameter validation (ParamError names the parameter), scikit-learn defaults,
 * cancellation through AbortSignal, and the order of progress reports.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, DEFAULT_PARAMS, fitKMeans, ParamError, resolveParams } from '../../src-main/engine/kmeans';
import type { DataMatrix, KMeansParams } from '../../src-shared/model';
import { mnistMatrix } from '../helpers/mnist-rows';

const X = mnistMatrix(0, 300);

async function paramErrorOf(p: Record<string, unknown>, options = {}, data: DataMatrix = X): Promise<ParamError> {
  const err: unknown = await fitKMeans(data, p as Partial<KMeansParams> & { k: number }, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParamError);
  return err as ParamError;
}

describe('parameters', () => {
  it("has scikit-learn's KMeans defaults, and MiniBatchKMeans' maxIter 100 and tol 0 for minibatch", () => {
    expect(DEFAULT_PARAMS).toEqual({
      algorithm: 'kmeans', init: 'k-means++', nInit: 'auto', maxIter: 300, tol: 1e-4, seed: 0,
      batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null,
    });
    expect(resolveParams({ k: 3 }, 10)).toEqual({ ...DEFAULT_PARAMS, k: 3 });
    const mb = resolveParams({ k: 3, algorithm: 'minibatch' }, 10);
    expect([mb.maxIter, mb.tol]).toEqual([100, 0]);
    const given = resolveParams({ k: 3, algorithm: 'minibatch', maxIter: 7, tol: 0.5 }, 10);
    expect([given.maxIter, given.tol]).toEqual([7, 0.5]);
  });

  it('names k in its message with the valid range', async () => {
    const e = await paramErrorOf({ k: 0 });
    expect(e.param).toBe('k');
    expect(e.message).toBe('k must be an integer in [1, n=300], got 0');
  });

  const bad: [string, Record<string, unknown>][] = [
    ['k', { k: 301 }],
    ['k', { k: 2.5 }],
    ['k', { k: '3' }],
    ['algorithm', { k: 3, algorithm: 'elkan' }],
    ['init', { k: 3, init: 'kmeans++' }],
    ['nInit', { k: 3, nInit: 0 }],
    ['nInit', { k: 3, nInit: 1.5 }],
    ['nInit', { k: 3, nInit: 'warn' }],
    ['maxIter', { k: 3, maxIter: 0 }],
    ['tol', { k: 3, tol: -1e-4 }],
    ['tol', { k: 3, tol: Number.NaN }],
    ['seed', { k: 3, seed: -1 }],
    ['seed', { k: 3, seed: 2 ** 32 }],
    ['batchSize', { k: 3, batchSize: 0 }],
    ['maxNoImprovement', { k: 3, maxNoImprovement: -1 }],
    ['reassignmentRatio', { k: 3, reassignmentRatio: -0.01 }],
    ['initSize', { k: 3, initSize: 0 }],
    ['kk', { k: 3, kk: 2 }],
  ];
  for (const [param, p] of bad) {
    it(`rejects ${JSON.stringify(p, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))} naming ${param}`, async () => {
      const e = await paramErrorOf(p);
      expect(e.param).toBe(param);
      expect(e.message).toContain(param);
    });
  }

  it('rejects initCenters of the wrong shape and bad matrices', async () => {
    expect((await paramErrorOf({ k: 3 }, { initCenters: new Float64Array(2 * 784) })).param).toBe('initCenters');
    expect((await paramErrorOf({ k: 1 }, {}, { n: 2, d: 2, data: new Float32Array(3), scale: 1 })).param).toBe('X');
    expect((await paramErrorOf({ k: 1 }, {}, { n: 1, d: 2, data: Float32Array.of(1, Number.NaN), scale: 1 })).param).toBe('X');
  });

  it('accepts k = n and k = 1', async () => {
    const small: DataMatrix = { n: 4, d: 1, data: Float64Array.of(0, 1, 5, 6), scale: 1 };
    const all = await fitKMeans(small, { k: 4 });
    expect(all.inertia).toBe(0);
    const one = await fitKMeans(small, { k: 1 });
    expect(one.centers[0]).toBe(3);
    expect(one.inertia).toBe(9 + 4 + 4 + 9);
  });
});

describe('cancellation', () => {
  it('throws CancelledError when aborted between iterations', async () => {
    const ac = new AbortController();
    let seen = 0;
    const p = fitKMeans(X, { k: 10, tol: 0, seed: 1 }, {
      signal: ac.signal,
      onProgress: () => {
        if (++seen === 2) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBe(2);
  });

  it('throws CancelledError for an already aborted signal, for both algorithms', async () => {
    for (const algorithm of ['kmeans', 'minibatch'] as const) {
      await expect(fitKMeans(X, { k: 3, algorithm }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    }
  });

  it('lets the event loop run so a timer can abort a long mini-batch fit', async () => {
    const big = mnistMatrix(0, 5000);
    const ac = new AbortController();
    let steps = 0;
    const p = fitKMeans(
      big,
      { k: 10, algorithm: 'minibatch', batchSize: 10, maxNoImprovement: 1e9, seed: 0 },
      {
        signal: ac.signal,
        // a timer armed once stepping has begun: it can only fire if the fit yields to the event loop
        onProgress: () => {
          if (steps++ === 0) setTimeout(() => ac.abort(), 50);
        },
      },
    );
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBeGreaterThan(1);
    expect(steps).toBeLessThan(Math.floor((100 * 5000) / 10));
  });
});

describe('progress', () => {
  it('arrives in order for every run, and history is the kept run', async () => {
    const seen: { run: number; iteration: number; fraction: number; inertia: number; centerShift: number }[] = [];
    const r = await fitKMeans(X, { k: 6, init: 'random', nInit: 3, seed: 4 }, { onProgress: (p) => seen.push({ ...p }) });
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      expect(b.run === a.run ? b.iteration === a.iteration + 1 : b.run === a.run + 1 && b.iteration === 1).toBe(true);
      expect(b.fraction).toBeGreaterThan(a.fraction);
    }
    expect(seen[0]).toMatchObject({ run: 0, iteration: 1 });
    expect(seen.every((p) => p.fraction > 0 && p.fraction <= 1 && p.centerShift >= 0 && p.inertia > 0)).toBe(true);
    const kept = seen.filter((p) => p.run === r.bestRun).map(({ fraction: _f, ...info }) => info);
    expect(r.history).toEqual(kept);
    // Lloyd's inertia never increases from one iteration to the next
    for (let i = 1; i < r.history.length; i++) expect(r.history[i].inertia).toBeLessThanOrEqual(r.history[i - 1].inertia * (1 + 1e-12));
    // the last strict-convergence iteration moves the centers by (almost) nothing
    expect(r.history[r.history.length - 1].centerShift).toBeLessThan(1e-20);
  });

  it('reports every mini-batch step in order', async () => {
    const seen: number[] = [];
    const r = await fitKMeans(X, { k: 5, algorithm: 'minibatch', batchSize: 40, seed: 2 }, { onProgress: (p) => seen.push(p.iteration) });
    expect(seen).toEqual(Array.from({ length: r.nIter }, (_, i) => i + 1));
    expect(r.history.map((h) => h.iteration)).toEqual(seen);
  });
});
