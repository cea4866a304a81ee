/**
 * Main keeps answering while heavy work runs: a clustering job in its worker, and runs/compare and
 * runs/contingency at k = 1,500 (a Hungarian matching of O(k²·c), seconds of work) in the view thread.
 * The checks are about order, not speed: other requests are answered before the heavy reply arrives. The
 * latencies are printed as a measurement.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pingSummary as summary, pingWhile, seedLargeComparison } from '../../src-main/cli/bench/probe';
import { cleanup, runReaches, serve, SLOW, startRun, stop, tempDataDir } from './harness';

const dir = tempDataDir('responsive');
afterAll(cleanup);

const K = 1500;
const CLASSES = 1500;

describe('main stays responsive', () => {
  it('answers other requests while a job runs and while k = 1,500 comparisons are computed', async () => {
    const { datasetId, a, b } = seedLargeComparison(dir, 30_000, 8, K);
    const s = await serve(dir);

    const job = await startRun(s.api, datasetId, { ...SLOW, k: 32, nInit: 4 });
    await runReaches(s.api, job, ['running']);
    const duringJob = await pingWhile(s.api, new Promise((r) => setTimeout(r, 3000)));
    await s.api.call('runs/cancel', { id: job });

    const compare = s.api.request('runs/compare', { a, b });
    const duringCompare = await pingWhile(s.api, compare);
    const compared = await compare;
    expect(compared.ok).toBe(true);
    if (!compared.ok) return;
    expect(compared.data.aToB).toHaveLength(K);
    expect(new Set(compared.data.aToB).size).toBe(K); // a full one-to-one matching
    expect(duringCompare.length).toBeGreaterThan(0); // main answered while the matching was computed

    const contingency = s.api.request('runs/contingency', { id: a });
    const duringContingency = await pingWhile(s.api, contingency);
    const table = await contingency;
    expect(table).toMatchObject({ ok: true, data: { k: K, classes: CLASSES } });
    expect(duringContingency.length).toBeGreaterThan(0);

    console.log(
      `main's app/info round trip — while a job runs: ${summary(duringJob)}; ` +
        `during runs/compare k=${K}: ${summary(duringCompare)}; during runs/contingency ${K}×${CLASSES}: ${summary(duringContingency)}`,
    );
    await stop(s);
  }, 120_000);
});
