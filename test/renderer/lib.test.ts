import { describe, expect, it } from 'vitest';
import { heatColor, imageToRgba, stripToRgba, valueRange } from '../../src-renderer/lib/image';
import { alignOrder, reorderMatrix } from '../../src-renderer/lib/align';
import { centersCsv, centerTiles, labelsCsv, runJson, sheetLayout, slug } from '../../src-renderer/lib/export';
import { fmt, fmtFull, fmtCompact, fmtDuration, fmtPct } from '../../src-renderer/lib/format';
import { clusterSummaries, orderedContingency, silhouetteByCluster } from '../../src-renderer/stores/run-detail';
import { spreadIndices } from '../../src-renderer/stores/datasets';
import { groupSweeps } from '../../src-renderer/stores/runs';
import type { ContingencyReply, RunArrays, RunInfo } from '../../src-shared/api';

describe('image pixels', () => {
  it('grayscale maps range to paper → ink', () => {
    const px = imageToRgba(new Uint8Array([0, 255, 128, 64]), [2, 2, 1], [0, 255], [255, 255, 255], [0, 0, 0]);
    expect(Array.from(px.subarray(0, 8))).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
    expect(px[8]).toBe(127);
    expect(px.length).toBe(16);
  });
  it('colour images keep channels; too few values is an error', () => {
    const px = imageToRgba(new Float32Array([1, 0, 0.5]), [1, 1, 3], [0, 1]);
    expect(Array.from(px)).toEqual([255, 0, 128, 255]);
    expect(() => imageToRgba(new Uint8Array(3), [2, 2, 1], [0, 1])).toThrow(/needs 4/);
  });
  it('value range and heat strips', () => {
    expect(valueRange([3, -1, 7])).toEqual([-1, 7]);
    expect(valueRange([])).toEqual([0, 1]);
    expect(heatColor(0)).toEqual([255, 247, 214]);
    expect(heatColor(1)).toEqual([30, 16, 70]);
    const s = stripToRgba([0, 1, 2], 2, [0, 2]);
    expect([s.width, s.height]).toEqual([2, 2]);
    expect(s.rgba[3 * 4 + 3]).toBe(0); // padding cell is transparent
    const pf = stripToRgba([5, 5], 2, [0, 1], { min: [5, 0], max: [6, 5] });
    expect(Array.from(pf.rgba.subarray(0, 3))).toEqual([255, 247, 214]);
    expect(Array.from(pf.rgba.subarray(4, 7))).toEqual([30, 16, 70]);
  });
});

describe('cluster alignment', () => {
  it('puts B clusters under their matched A clusters, unmatched ones last', () => {
    // A order 2,0,1; a→b: 0→1, 1→-1, 2→0; kb = 4
    expect(alignOrder([2, 0, 1], [1, -1, 0], 4)).toEqual([0, 1, null, 2, 3]);
  });
  it('reorders a contingency matrix', () => {
    const m = [1, 2, 3, 4, 5, 6]; // 2 × 3
    expect(reorderMatrix(m, 3, [1, 0], [2, null, 0])).toEqual([
      [6, 4],
      [3, 1],
    ]);
  });
});

const cont: ContingencyReply = {
  id: 1,
  k: 3,
  classes: 2,
  classNames: ['cat', 'dog'],
  matrix: Int32Array.from([8, 2, 1, 9, 0, 0]),
  clusterToClass: Int32Array.from([0, 1, -1]),
  clusterOrder: Int32Array.from([0, 1, 2]),
  matchedAccuracy: 17 / 20,
};

describe('run tables', () => {
  it('cluster summaries: size, majority label and purity', () => {
    const s = clusterSummaries([10, 10, 0], cont);
    expect(s[0]).toEqual({ cluster: 0, size: 10, majority: 0, majorityName: 'cat', purity: 0.8, matched: 0, matchedName: 'cat' });
    expect(s[1]!.majorityName).toBe('dog');
    expect(s[1]!.purity).toBeCloseTo(0.9);
    expect(s[2]!.purity).toBeNull();
    expect(clusterSummaries([4], null)[0]).toEqual({ cluster: 0, size: 4, majority: null, majorityName: null, purity: null, matched: null, matchedName: null });
    // the matching can give a cluster another class than its majority (here both clusters are mostly "cat")
    const both = clusterSummaries([10, 10], { ...cont, k: 2, matrix: Int32Array.from([8, 2, 6, 4]), clusterToClass: Int32Array.from([0, 1]) });
    expect(both.map((x) => [x.majorityName, x.matchedName])).toEqual([['cat', 'cat'], ['cat', 'dog']]);
  });
  it('orders contingency rows and groups silhouettes by cluster', () => {
    expect(orderedContingency({ ...cont, clusterOrder: Int32Array.from([1, 0, 2]) })).toEqual([
      [1, 9],
      [8, 2],
      [0, 0],
    ]);
    const g = silhouetteByCluster(2, Int32Array.from([1, 0, 1, 0]), Int32Array.from([3, 2, 0]), Float64Array.from([0.1, 0.2, 0.3]));
    expect(g).toEqual([[0.1], [0.2, 0.3]]);
  });
  it('spreads sample indices over the dataset', () => {
    expect(spreadIndices(100, 4)).toEqual([0, 25, 50, 75]);
    expect(spreadIndices(3, 10)).toEqual([0, 1, 2]);
  });
});

describe('export', () => {
  it('labels and centers as CSV', () => {
    expect(labelsCsv(Int32Array.from([2, 0]))).toBe('row,cluster\n0,2\n1,0\n');
    expect(centersCsv(Float64Array.from([0.5, 1, 0.25, 0]), 2, 2)).toBe('cluster,x0,x1\n0,0.5,1\n1,0.25,0\n');
  });
  it('run JSON round-trips the arrays', () => {
    const arrays: RunArrays = { id: 1, k: 1, d: 2, centers: Float64Array.from([1, 2]), transform: null, labels: Int32Array.from([0, 0]), silhouette: null, history: [] };
    const j = JSON.parse(runJson({ id: 1, name: 'x', preprocessing: 'none' } as RunInfo, arrays, cont));
    expect(j.format).toBe('kmeans-explorer/run@1');
    expect(j.centers.rowMajor).toEqual([1, 2]);
    expect(j.centers.units).toBe('none');
    expect(j.transform).toBeNull();
    const scaled = { ...arrays, transform: { offset: Float64Array.from([1, 0]), factor: Float64Array.from([0.5, 2]) } };
    const t = JSON.parse(runJson({ id: 1, name: 'x', preprocessing: 'standardize' } as RunInfo, scaled, null));
    expect(t.transform).toEqual({ offset: [1, 0], factor: [0.5, 2] });
    expect(j.labels).toEqual([0, 0]);
    expect(j.contingency.matrix).toEqual([8, 2, 1, 9, 0, 0]);
  });
  it('sheet layout and file names', () => {
    expect(sheetLayout(10, [28, 28, 1], 4, 8)).toEqual({ cols: 4, rows: 3, cellW: 120, cellH: 120 });
    expect(slug('minibatch k=10 / seed 1')).toBe('minibatch-k-10-seed-1');
  });
  it("the centers sheet's tiles follow the gallery: its order and its labels", () => {
    const names: Record<number, string> = { 0: '1', 2: '7' };
    expect(centerTiles(3, [2, 0, 1], (c) => names[c])).toEqual([
      { cluster: 2, caption: '#2 “7”' },
      { cluster: 0, caption: '#0 “1”' },
      { cluster: 1, caption: '#1' },
    ]);
    expect(centerTiles(2, null, () => null).map((t) => t.cluster)).toEqual([0, 1]);
  });
});

describe('formatting and routes', () => {
  it('formats', () => {
    expect(fmt(null)).toBe('—');
    expect(fmt(0.12345)).toBe('0.123');
    expect(fmtPct(0.5)).toBe('50.0%');
    expect(fmtDuration(850)).toBe('850 ms');
    expect(fmtDuration(12_340)).toBe('12.3 s');
    expect(fmtDuration(245_000)).toBe('4 min 05 s');
    expect(fmtFull(25412.71)).toBe('25,412.7');
    expect(fmtFull(131.4517)).toBe('131.5');
    expect(fmtFull(2787276.6)).toBe('2,787,277');
    expect(fmtCompact(2787276.6)).toBe('2.787M');
    expect(fmtFull(2.5e9)).toBe('2.500e+9');
  });
  it('groups sweeps by id, runs by k', () => {
    const r = (id: number, k: number, sweepId: string | null, createdAt: number) => ({ id, params: { k }, sweepId, createdAt }) as unknown as RunInfo;
    const g = groupSweeps([r(1, 3, 's1', 1), r(2, 2, 's1', 2), r(3, 2, 's2', 5), r(4, 9, null, 9)]);
    expect(g.map((s) => s.sweepId)).toEqual(['s2', 's1']);
    expect(g[1]!.runs.map((x) => x.params.k)).toEqual([2, 3]);
  });
});

describe('live convergence trace', () => {
  const p = (iteration: number | undefined, inertia: number, initRun = 0, phase: 'fit' | 'silhouette' = 'fit') =>
    ({ runId: 1, phase, fraction: 0.5, initRun, iteration, inertia, elapsedMs: 1 }) as const;
  it('keeps steps of the current initialisation, in order, and restarts on a new one', async () => {
    const { extendTrace } = await import('../../src-renderer/stores/runs');
    let t = extendTrace([], p(1, 10));
    t = extendTrace(t, p(3, 8));
    expect(extendTrace(t, p(2, 9))).toBe(t); // out of order: ignored
    expect(extendTrace(t, p(undefined, 9))).toBe(t);
    expect(extendTrace(t, p(4, 1, 0, 'silhouette'))).toBe(t);
    expect(t.map((x) => [x.iteration, x.inertia])).toEqual([[1, 10], [3, 8]]);
    const next = extendTrace(t, p(1, 12, 1));
    expect(next.map((x) => [x.run, x.iteration])).toEqual([[1, 1]]);
  });
});
