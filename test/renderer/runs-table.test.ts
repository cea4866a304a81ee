import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { runInfo } from '../helpers/run-info';
import { kneedleElbow } from '../../src-renderer/lib/kneedle';
import { DEFAULT_SORT, groupTitle, NO_FILTER, nextSort, runsEntries, type RunsEntry } from '../../src-renderer/lib/runs-table';

let nextId = 1;
function run(over: Partial<RunInfo> & { k?: number; seed?: number; sil?: number | null; ari?: number | null }): RunInfo {
  const { sil = 0.5, ari = null, ...rest } = over;
  const id = nextId++;
  return runInfo(id, {
    datasetName: 'Blobs', createdAt: 1000 + id, fitMs: 10 * id,
    metrics: { inertia: 100 - id, silhouette: sil, ari },
    ...rest,
  });
}
const ids = (es: RunsEntry[]) => es.map((e) => (e.kind === 'run' ? e.run.id : e.sweepId));

describe('runs table', () => {
  it('sorts by any column both ways, missing values last', () => {
    nextId = 1;
    const a = run({ name: 'beta', k: 5, sil: 0.2 });
    const b = run({ name: 'Alpha', k: 2, sil: null });
    const c = run({ name: 'gamma', k: 9, sil: 0.7, status: 'failed', metrics: null, fitMs: null });
    const all = [c, b, a];
    expect(ids(runsEntries(all, NO_FILTER, DEFAULT_SORT))).toEqual([c.id, b.id, a.id]);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'name', dir: 'asc' }))).toEqual([b.id, a.id, c.id]);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'k', dir: 'asc' }))).toEqual([b.id, a.id, c.id]);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'k', dir: 'desc' }))).toEqual([c.id, a.id, b.id]);
    // b has no silhouette, c has no metrics at all: both after a, in either direction
    expect(ids(runsEntries(all, NO_FILTER, { key: 'silhouette', dir: 'desc' }))[0]).toBe(a.id);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'silhouette', dir: 'asc' }))[0]).toBe(a.id);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'time', dir: 'asc' }))).toEqual([a.id, b.id, c.id]);
    expect(ids(runsEntries(all, NO_FILTER, { key: 'status', dir: 'asc' }))).toEqual([b.id, a.id, c.id]);
  });

  it('filters by dataset, algorithm, status and text', () => {
    nextId = 1;
    const a = run({ name: 'first' });
    const b = run({ name: 'second', datasetId: 2, datasetName: 'MNIST' });
    const c = run({ name: 'third', algorithm: 'minibatch', status: 'cancelled' });
    const all = [c, b, a];
    const f = (over: Partial<typeof NO_FILTER>) => ids(runsEntries(all, { ...NO_FILTER, ...over }, { key: 'name', dir: 'asc' }));
    expect(f({ datasetId: 2 })).toEqual([b.id]);
    expect(f({ algorithm: 'minibatch' })).toEqual([c.id]);
    expect(f({ status: 'done' })).toEqual([a.id, b.id]);
    expect(f({ text: 'mni' })).toEqual([b.id]);
    expect(f({ text: ' THIRD ' })).toEqual([c.id]);
    expect(f({ text: 'nothing' })).toEqual([]);
  });

  it("a sweep or group is one entry holding its matching runs, sorted like the table", () => {
    nextId = 1;
    const single = run({ name: 'single' });
    const sweep = [2, 3, 4].flatMap((k) => [0, 1].map((seed) => run({ k, seed, sweepId: 'S', sil: 1 / k })));
    const group = [0, 1, 2].map((seed) => run({ k: 10, seed, sweepId: 'G', sil: 0.9 }));
    const all = [...group, ...sweep, single].reverse();
    const es = runsEntries(all, NO_FILTER, { key: 'silhouette', dir: 'desc' });
    expect(ids(es)).toEqual(['G', single.id, 'S']); // means 0.9, 0.5, (1/2+1/3+1/4)/3
    const s = es[2] as Extract<RunsEntry, { kind: 'group' }>;
    expect(s.repeat).toBe(false);
    expect(s.title).toBe('k = 2…4 × 2 seeds');
    expect(s.runs.map((r) => r.params.k)).toEqual([2, 2, 3, 3, 4, 4]);
    expect((es[0] as Extract<RunsEntry, { kind: 'group' }>).repeat).toBe(true);
    // a filter keeps only the matching runs inside; a group title matches the text filter
    const only4 = runsEntries(all, { ...NO_FILTER, text: 'k = 2…4' }, DEFAULT_SORT);
    expect(ids(only4)).toEqual(['S']);
    sweep[5]!.status = 'failed';
    const failed = runsEntries(all, { ...NO_FILTER, status: 'failed' }, DEFAULT_SORT);
    expect(failed).toHaveLength(1);
    expect((failed[0] as Extract<RunsEntry, { kind: 'group' }>).runs.map((r) => r.id)).toEqual([sweep[5]!.id]);
    expect((failed[0] as Extract<RunsEntry, { kind: 'group' }>).status).toBe('failed');
  });

  it('titles and header clicks', () => {
    nextId = 1;
    expect(groupTitle([2, 4, 8].map((k) => run({ k })))).toBe('k = 2, 4, 8');
    expect(groupTitle([0, 1, 2, 3, 4].map((seed) => run({ k: 7, seed })))).toBe('k = 7 × 5 seeds');
    expect(nextSort({ key: 'created', dir: 'desc' }, 'created')).toEqual({ key: 'created', dir: 'asc' });
    expect(nextSort({ key: 'created', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort({ key: 'name', dir: 'asc' }, 'ari')).toEqual({ key: 'ari', dir: 'desc' });
  });
});

describe('kneedleElbow', () => {
  it('finds the bend of a decreasing convex curve', () => {
    const ys = [100, 50, 20, 18, 16, 14, 12];
    expect(kneedleElbow(ys.map((y, i) => ({ x: i + 1, y })))).toBe(3);
    // shuffled order and a 1/k curve: the knee of 1/x on 1…10 is at x = 3 (normalized distance)
    const inv = Array.from({ length: 10 }, (_, i) => ({ x: i + 1, y: 1 / (i + 1) })).reverse();
    expect(kneedleElbow(inv)).toBe(3);
  });

  it('gives null for a straight line, a flat curve or too few points', () => {
    expect(kneedleElbow([1, 2, 3, 4].map((x) => ({ x, y: 10 - x })))).toBeNull();
    expect(kneedleElbow([1, 2, 3].map((x) => ({ x, y: 5 })))).toBeNull();
    expect(kneedleElbow([{ x: 1, y: 2 }, { x: 2, y: 1 }])).toBeNull();
  });
});
