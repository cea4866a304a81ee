/**
 * The arrays and derived tables of done runs (centers, labels, silhouette, history, contingency, histograms),
 * cached by run id; and the member and confusion-cell queries of the Run screen.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type {
  ClusterProfilesReply,
  CompareRunsReply,
  ContingencyReply,
  DatasetSamples,
  MembersReply,
  MembersRequest,
  RunArrays,
  SilhouetteHistogramReply,
} from '../../src-shared/api';
import { toFeatureUnits } from '../../src-shared/model';
import { api } from '../api';

export interface RunDetail {
  arrays: RunArrays;
  /**
   * Centers in the dataset's feature units (the run's preprocessing undone: the cluster means of the data), for drawing
   * and export; `arrays.centers` stays in the units the run clustered in. null without centers.
   */
  centers: Float64Array | null;
  /** null when the dataset has no true labels. */
  contingency: ContingencyReply | null;
  /** null when the silhouette was off. */
  histogram: SilhouetteHistogramReply | null;
}

export interface ClusterSummary {
  cluster: number;
  size: number;
  /** Most frequent true label in the cluster, or null without labels / for an empty cluster. */
  majority: number | null;
  majorityName: string | null;
  /** Share of the cluster with its majority label. */
  purity: number | null;
  /** The class the Hungarian matching gives the cluster (one class per cluster), or null (no labels, k > classes). */
  matched: number | null;
  matchedName: string | null;
}

/** Size, majority label and purity of every cluster, from the contingency table (k × classes, row-major). */
export function clusterSummaries(sizes: number[], c: ContingencyReply | null): ClusterSummary[] {
  return sizes.map((size, i) => {
    const m = c?.clusterToClass[i] ?? -1;
    const matched = m >= 0 ? { matched: m, matchedName: c!.classNames[m] ?? String(m) } : { matched: null, matchedName: null };
    if (!c || size === 0) return { cluster: i, size, majority: null, majorityName: null, purity: null, ...matched };
    let best = 0;
    for (let j = 1; j < c.classes; j++) if (c.matrix[i * c.classes + j]! > c.matrix[i * c.classes + best]!) best = j;
    return { cluster: i, size, majority: best, majorityName: c.classNames[best] ?? String(best), purity: c.matrix[i * c.classes + best]! / size, ...matched };
  });
}

/** The contingency matrix with rows in `clusterOrder` and columns in class order, as number[][] for the heatmap. */
export function orderedContingency(c: ContingencyReply): number[][] {
  return Array.from(c.clusterOrder, (ci) => Array.from(c.matrix.subarray(ci * c.classes, (ci + 1) * c.classes)));
}

/** Silhouette values grouped by cluster: values[i] belongs to row indices[i], whose cluster is labels[indices[i]]. */
export function silhouetteByCluster(k: number, labels: Int32Array, indices: Int32Array, values: Float64Array): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < indices.length; i++) out[labels[indices[i]!]!]?.push(values[i]!);
  return out;
}

export interface CellMembers {
  cluster: number;
  classIndex: number;
  /** Matching rows found (up to `limit`). */
  samples: DatasetSamples | null;
  /** Rows of the cluster scanned to find them, out of `clusterSize`. */
  scanned: number;
  clusterSize: number;
  expected: number;
}

const PAGE = 2000;

export const useRunDetail = defineStore('run-detail', () => {
  const cache = shallowRef(new Map<number, RunDetail>());
  const errors = shallowRef(new Map<number, string>());
  const inflight = new Map<number, Promise<RunDetail | null>>();
  const compareCache = new Map<string, CompareRunsReply>();
  /** Cached details whose run's silhouette changed since (landed, or computed again): loaded again when next asked for. */
  const stale = new Set<number>();

  function setError(id: number, msg: string): void {
    const m = new Map(errors.value);
    m.set(id, msg);
    errors.value = m;
  }

  async function fetchDetail(id: number): Promise<RunDetail | null> {
    const arrays = await api()['runs/arrays']({ id });
    if (!arrays.ok) {
      setError(id, arrays.message);
      return null;
    }
    const [cont, hist] = await Promise.all([
      api()['runs/contingency']({ id }),
      arrays.data.silhouette ? api()['runs/silhouetteHistogram']({ id, bins: 30 }) : Promise.resolve(null),
    ]);
    // No labels ('conflict') is normal; anything else is worth telling.
    if (!cont.ok && cont.code !== 'conflict') setError(id, cont.message);
    const detail: RunDetail = {
      arrays: arrays.data,
      centers: arrays.data.centers && toFeatureUnits(arrays.data.centers, arrays.data.transform),
      contingency: cont.ok ? cont.data : null,
      histogram: hist && hist.ok ? hist.data : null,
    };
    const m = new Map(cache.value);
    m.set(id, detail);
    cache.value = m;
    return detail;
  }

  function load(id: number): Promise<RunDetail | null> {
    const hit = cache.value.get(id);
    if (hit && stale.delete(id)) return refresh(id);
    if (hit) return Promise.resolve(hit);
    let p = inflight.get(id);
    if (!p) {
      p = fetchDetail(id).finally(() => inflight.delete(id));
      inflight.set(id, p);
    }
    return p;
  }

  /**
   * Loads a run's arrays again (its silhouette landed after `done`), after any fetch still in flight (which may
   * predate it); the old detail stays shown until then.
   */
  function refresh(id: number): Promise<RunDetail | null> {
    stale.delete(id);
    return (inflight.get(id) ?? Promise.resolve(null)).then(() => fetchDetail(id));
  }

  /** The run's silhouette changed: its cached detail (kept on screen meanwhile) is loaded again at the next load. */
  function markStale(id: number): void {
    if (cache.value.has(id)) stale.add(id);
  }

  function forget(id: number): void {
    const m = new Map(cache.value);
    m.delete(id);
    cache.value = m;
  }

  async function members(req: MembersRequest): Promise<MembersReply | string> {
    const r = await api()['runs/members'](req);
    return r.ok ? r.data : r.message;
  }

  /**
   * Rows of cluster `cluster` whose true label is `classIndex` (a confusion cell), up to `limit`.
   * Scans the cluster's members in pages (nearest first for the matched class, farthest first otherwise,
   * where such rows tend to be) until enough are found or the cluster is exhausted.
   */
  async function cellMembers(id: number, cluster: number, classIndex: number, expected: number, clusterSize: number, limit = 48, diagonal = false): Promise<CellMembers | string> {
    const found: { idx: number; row: number; samples: DatasetSamples }[] = [];
    let scanned = 0;
    while (scanned < clusterSize && found.length < Math.min(limit, expected)) {
      const r = await api()['runs/members']({ id, cluster, sortBy: 'distance', order: diagonal ? 'asc' : 'desc', limit: PAGE, offset: scanned, withRows: true });
      if (!r.ok) return r.message;
      const s = r.data.samples;
      if (!s || !s.labels || r.data.indices.length === 0) break;
      for (let i = 0; i < s.indices.length && found.length < limit; i++) if (s.labels[i] === classIndex) found.push({ idx: i, row: s.indices[i]!, samples: s });
      scanned += r.data.indices.length;
    }
    if (!found.length) return { cluster, classIndex, samples: null, scanned, clusterSize, expected };
    const first = found[0]!.samples;
    const d = first.d;
    const data = new (first.data.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(found.length * d);
    found.forEach((f, i) => data.set(f.samples.data.subarray(f.idx * d, (f.idx + 1) * d), i * d));
    const samples: DatasetSamples = {
      ...first,
      indices: Int32Array.from(found.map((f) => f.row)),
      data,
      labels: Int32Array.from(found.map(() => classIndex)),
    };
    return { cluster, classIndex, samples, scanned, clusterSize, expected };
  }

  const profileCache = new Map<number, ClusterProfilesReply>();
  /** Per-cluster feature means and standard deviations (cached per run); an error message on failure. */
  async function profiles(id: number): Promise<ClusterProfilesReply | string> {
    const hit = profileCache.get(id);
    if (hit) return hit;
    const r = await api()['runs/profiles']({ id });
    if (!r.ok) return r.message;
    profileCache.set(id, r.data);
    return r.data;
  }

  async function compare(a: number, b: number): Promise<CompareRunsReply | string> {
    const key = `${a}:${b}`;
    const hit = compareCache.get(key);
    if (hit) return hit;
    const r = await api()['runs/compare']({ a, b });
    if (!r.ok) return r.message;
    compareCache.set(key, r.data);
    return r.data;
  }

  return { cache, errors, load, refresh, markStale, forget, members, cellMembers, compare, profiles };
});
