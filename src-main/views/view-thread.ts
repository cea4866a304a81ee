/**
 * Entry of the view thread (worker_threads, built as out/main/view-thread.js): computes the run views whose
 * cost grows with k (the Hungarian matching of runs/compare and runs/contingency is O(k²·c)) off main's
 * event loop, so main keeps answering every other request meanwhile. See view-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { compareView, contingencyView } from '../run-views';
import type { ViewRequest, ViewResponse } from './view-worker';

function compute(req: ViewRequest): unknown {
  if (req.kind === 'compare') return compareView(...req.args);
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
