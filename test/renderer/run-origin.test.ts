import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { DEFAULT_PARAMS } from '../../src-shared/defaults';
import { exportZip, paramsSummary, paramValue } from '../../src-renderer/lib/run-origin';
import { ALGORITHM_LABELS, algorithmLabel } from '../../src-shared/run-names';

const params = { ...DEFAULT_PARAMS, k: 3 };
const app = { origin: { kind: 'app', source: null }, algorithm: 'kmeans', params } as Pick<RunInfo, 'origin' | 'algorithm' | 'params'>;
const mini = { ...app, algorithm: 'minibatch', params: { ...params, algorithm: 'minibatch' } } as typeof app;
const external = { ...app, origin: { kind: 'external', source: 'faiss_I.npy' } } as typeof app;
const cli = { ...app, origin: { kind: 'cli', source: 'cluster --dataset mnist --k 3' } } as typeof app;

describe('run origin labels', () => {
  it('names the algorithm from the one table (as default run names do), or "External" for a labeling made elsewhere', () => {
    expect([app, mini, external].map((r) => algorithmLabel(r))).toEqual(['K-means', 'Mini-batch', 'External']);
    expect([app, mini, external].map((r) => algorithmLabel(r, true))).toEqual(['K-means (Lloyd)', 'Mini-batch K-means', 'External labeling']);
    expect(algorithmLabel(mini)).toBe(ALGORITHM_LABELS.minibatch);
    expect(algorithmLabel(cli)).toBe(ALGORITHM_LABELS.kmeans);
  });

  it('shows parameters as n/a on external runs only', () => {
    expect(paramValue(app, 0)).toBe(0);
    expect(paramValue(external, 0)).toBe('n/a');
    expect(paramsSummary(app)).toBe('init k-means++ · n_init auto · max_iter 300 · tol 0.0001 · seed 0');
    expect(paramsSummary(mini)).toMatch(/ · batch 1024$/);
    expect(paramsSummary(cli)).toMatch(/ · from the command line$/);
    expect(paramsSummary(external)).toBe('parameters n/a: labels from faiss_I.npy');
  });

  it('zips the export files in one folder, byte for byte', () => {
    const files = [
      { name: 'labels.npy', bytes: Uint8Array.from([1, 2, 3]) },
      { name: 'reproduce.py', bytes: new TextEncoder().encode('print(1)\n') },
    ];
    const back = unzipSync(exportZip(files, 'k-means-k-3'));
    expect(Object.keys(back)).toEqual(['k-means-k-3/labels.npy', 'k-means-k-3/reproduce.py']);
    expect(Array.from(back['k-means-k-3/labels.npy']!)).toEqual([1, 2, 3]);
    expect(new TextDecoder().decode(back['k-means-k-3/reproduce.py'])).toBe('print(1)\n');
  });
});
