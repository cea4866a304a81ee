/**
 * Entry of the view thread (worker_threads, built as out/main/view-thread.js): computes the run views whose
 * cost grows with k (the Hungarian matching of runs/compare and runs/contingency is O(k²·c)) off main's
 * event loop, so main keeps answering every other request meanwhile; and the cluster profiles and members, which
 * read the dataset's rows. See view-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { Dataset } from '../../src-shared/model';
import { clusterMembers, clusterProfiles, compareView, contingencyView, samplesOf } from '../run-views';
import { loadDatasetReadOnly } from '../store';
import type { MembersArgs, MembersView, ProfilesArgs, StoredDataset, ViewRequest, ViewResponse } from './view-worker';

/** The last dataset read (views of one run come in a row); datasets never change once stored. */
let cached: { dbPath: string; hash: string; dataset: Dataset } | null = null;

function dataset({ dbPath, datasetId, hash }: StoredDataset): Dataset {
  if (cached?.dbPath !== dbPath || cached.hash !== hash) cached = { dbPath, hash, dataset: loadDatasetReadOnly(dbPath, datasetId) };
  return cached.dataset;
}

function profiles(a: ProfilesArgs): unknown {
  return clusterProfiles(a.runId, dataset(a), a.labels, a.k);
}

function members(a: MembersArgs): MembersView {
  const ds = dataset(a);
  const m = clusterMembers(ds, a.labels, a.centers, a.silhouette, a.query, a.transform);
  return { ...m, samples: a.withRows ? samplesOf(a.datasetId, ds, Array.from(m.indices)) : null };
}

function compute(req: ViewRequest): unknown {
  if (req.kind === 'compare') return compareView(...req.args);
  if (req.kind === 'profiles') return profiles(req.args);
  if (req.kind === 'members') return members(req.args);
  return contingencyView(...req.args);
}

parentPort!.on('message', (req: ViewRequest) => {
  let res: ViewResponse;
  try {
    res = { id: req.id, ok: true, data: compute(req) };
  } catch (e) {
    res = { id: req.id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(res);
});
