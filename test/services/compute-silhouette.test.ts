/**
 * `runs/computeSilhouette` end to end: a real SQLite file in a temporary folder, real worker processes
 * (child_process). A done run's silhouette computed afterwards is the value (and the per-sample values) a run
 * started with that silhouette gets; the request's errors are clear; Stop silhouette (`runs/cancel`) stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo, SilhouetteOptions } from '../../src-shared/api';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Services } from '../../src-main/services';
import { serviceCalls } from '../helpers/service-calls';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { silhouetteSettled } from '../helpers/wait-run';

let dir: string;
let services: Services;
const { events, record, call } = serviceCalls(() => services);

/** Four overlapping 3-D blobs whose features have unlike scales (so 'standardize' changes the distances), as CSV. */
function blobsCsv(n: number): Uint8Array {
  const rng = new Rng(11);
  let s = 'a,b,c,label\n';
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    s += `${(c * 3 + rng.nextFloat() * 4).toFixed(4)},${(100 * c + rng.nextFloat() * 300).toFixed(3)},${(rng.nextFloat() * 0.01 - c * 0.002).toFixed(6)},${c}\n`;
  }
  return new TextEncoder().encode(s);
}

/** Polls the run until `until` holds (events alone would also match an earlier state of the same run). */
async function waitRun(id: number, until: (r: RunInfo) => boolean, timeoutMs = 60_000): Promise<RunInfo> {
  const t0 = Date.now();
  for (;;) {
    const run = await call('runs/get', { id });
    if (until(run)) return run;
    if (Date.now() - t0 > timeoutMs) throw new Error(`run ${id} still ${run.status}, silhouette ${run.silhouetteState}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Until no job runs or waits. */
async function queueEmpty(timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const q = await call('queue/get', {});
    if (q.running.length === 0 && q.queued.length === 0) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the queue still has ${q.running.length} running, ${q.queued.length} queued`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PARAMS = { k: 4, seed: 7 };
let datasetId: number;

async function startRun(silhouette: SilhouetteOptions): Promise<RunInfo> {
  const { runs } = await call('runs/start', { datasetId, params: PARAMS, preprocessing: 'standardize', silhouette });
  return waitRun(runs[0].id, silhouetteSettled);
}

/** What must be equal between a silhouette computed afterwards and a run's own: the mean and every per-sample value. */
async function silhouetteOf(id: number) {
  const run = await call('runs/get', { id });
  const { silhouette } = await call('runs/arrays', { id, include: ['silhouette'] });
  return { value: run.metrics!.silhouette, exact: silhouette!.exact, indices: Array.from(silhouette!.indices), values: Array.from(silhouette!.values) };
}

beforeAll(async () => {
  dir = makeTempDir('compute-silhouette');
  services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  record();
  const imported = await call('datasets/import', { files: [{ name: 'blobs.csv', bytes: blobsCsv(1500) }], options: { name: 'Blobs' } });
  datasetId = imported.dataset.id;
});

afterAll(async () => {
  await services.close();
  removeTempDir(dir);
});

describe('runs/computeSilhouette', () => {
  it("computes the silhouette of a run started without one: the value a run started with it gets, then exact the same way", async () => {
    const none = await startRun({ mode: 'none' });
    expect(none).toMatchObject({ status: 'done', silhouetteState: 'none', name: 'K-means k=4 · seed 7 · no silhouette' });
    expect(none.metrics!.silhouette).toBeNull();
    const before = none.metrics!;

    const queued = await call('runs/computeSilhouette', { runId: none.id, mode: 'sample', sampleSize: 600 });
    expect(queued).toMatchObject({ status: 'done', silhouetteState: 'pending', silhouette: { mode: 'sample', sampleSize: 600 } });
    // a default name follows the new options; the result is untouched
    expect(queued.name).toBe('K-means k=4 · seed 7 · silhouette of 600');
    const sampled = await waitRun(none.id, silhouetteSettled);
    expect(sampled.silhouetteState).toBe('final');
    expect(sampled.metrics).toEqual({ ...before, silhouette: sampled.metrics!.silhouette });
    expect(sampled.fitMs).toBe(none.fitMs);

    const reference = await startRun({ mode: 'sample', sampleSize: 600 });
    const ref = await silhouetteOf(reference.id);
    expect(ref.value).not.toBeNull();
    expect(reference.metrics!.inertia).toBe(sampled.metrics!.inertia); // same fit: same seed, same data
    expect(await silhouetteOf(none.id)).toEqual(ref);
    expect(ref.indices.length).toBe(600);

    // sampled → exact on the same run, equal to a run started exact
    const exactQueued = await call('runs/computeSilhouette', { runId: none.id, mode: 'exact' });
    expect(exactQueued).toMatchObject({ silhouetteState: 'pending', name: 'K-means k=4 · seed 7 · exact silhouette' });
    expect(exactQueued.metrics!.silhouette).toBeNull(); // the sampled value does not stand for the exact one meanwhile
    const exact = await waitRun(none.id, silhouetteSettled);
    expect(exact).toMatchObject({ silhouetteState: 'final', silhouette: { mode: 'exact' } });
    const exactRef = await startRun({ mode: 'exact' });
    const got = await silhouetteOf(none.id);
    expect(got).toEqual(await silhouetteOf(exactRef.id));
    expect(got.exact).toBe(true);
    expect(got.indices.length).toBe(1500);
    expect(got.value).not.toBe(ref.value);

    // the page learns it as for a run's own silhouette: run/updated pending, then final
    const mine = events.filter((e) => e.name === 'run/updated' && (e.payload as RunInfo).id === none.id).map((e) => (e.payload as RunInfo).silhouetteState);
    expect(mine.slice(-4)).toEqual(['pending', 'final', 'pending', 'final']);
    expect(events.some((e) => e.name === 'job/progress' && (e.payload as { runId: number; phase: string }).runId === none.id && (e.payload as { phase: string }).phase === 'silhouette')).toBe(true);
  }, 180_000);

  it('keeps a name the user gave', async () => {
    const run = await startRun({ mode: 'none' });
    await call('runs/rename', { id: run.id, name: 'mine' });
    expect((await call('runs/computeSilhouette', { runId: run.id, mode: 'sample' })).name).toBe('mine');
    const done = await waitRun(run.id, silhouetteSettled);
    expect(done).toMatchObject({ name: 'mine', silhouetteState: 'final', silhouette: { mode: 'sample', sampleSize: 10_000 } });
  }, 120_000);

  it('answers unknown run, run not done, already pending and already computed with clear errors', async () => {
    expect(await services.handle('runs/computeSilhouette', { runId: 9999, mode: 'exact' })).toMatchObject({ ok: false, code: 'not-found', message: 'run 9999 does not exist' });
    expect(await services.handle('runs/computeSilhouette', { runId: 1, mode: 'none' })).toMatchObject({ ok: false, code: 'bad-request' });

    const { runs } = await call('runs/start', { datasetId, params: { k: 3, seed: 1 }, silhouette: { mode: 'none' } });
    const early = await services.handle('runs/computeSilhouette', { runId: runs[0].id, mode: 'exact' });
    expect(early).toMatchObject({ ok: false, code: 'conflict' });
    expect(early.ok ? '' : early.message).toMatch(/run \d+ is (queued|running); only a done run's silhouette can be computed/);

    const run = await waitRun(runs[0].id, silhouetteSettled);
    await call('runs/computeSilhouette', { runId: run.id, mode: 'exact' });
    const twice = await services.handle('runs/computeSilhouette', { runId: run.id, mode: 'sample' });
    expect(twice).toMatchObject({ ok: false, code: 'conflict', message: `runs/computeSilhouette: run ${run.id}: its silhouette is already being computed` });
    await waitRun(run.id, silhouetteSettled);
    const again = await services.handle('runs/computeSilhouette', { runId: run.id, mode: 'exact' });
    expect(again).toMatchObject({ ok: false, code: 'conflict', message: `runs/computeSilhouette: run ${run.id}: its exact silhouette is computed already` });
    expect((await call('runs/get', { id: run.id })).silhouetteState).toBe('final');

  }, 120_000);

  it('Stop silhouette (runs/cancel) stops it: the run stays done, its silhouette not computed; computing it again works', async () => {
    const run = await startRun({ mode: 'none' });
    await call('runs/computeSilhouette', { runId: run.id, mode: 'exact' });
    const stopped = await call('runs/cancel', { id: run.id });
    expect(stopped).toMatchObject({ status: 'done', silhouetteState: 'failed', silhouetteError: 'cancelled before the silhouette was computed' });
    expect(stopped.metrics!.inertia).toBe(run.metrics!.inertia);
    await queueEmpty(); // its worker is killed; the slot is free once it has exited

    const again = await call('runs/computeSilhouette', { runId: run.id, mode: 'exact' });
    expect(again.silhouetteState).toBe('pending');
    const done = await waitRun(run.id, silhouetteSettled);
    expect(done.silhouetteState).toBe('final');
    expect(done.metrics!.silhouette).toEqual(expect.any(Number));
  }, 120_000);

  it("an external labeling's silhouette is measured as the import measured it (feature units, its seed)", async () => {
    const labels = new TextEncoder().encode(Array.from({ length: 1500 }, (_, i) => String((i * 7) % 5)).join('\n') + '\n');
    const imported = await call('runs/importLabeling', { datasetId, file: { name: 'labels.txt', bytes: labels }, silhouette: { mode: 'sample', sampleSize: 700 } });
    expect(imported.silhouetteState).toBe('final');
    const original = await silhouetteOf(imported.id);
    await call('runs/computeSilhouette', { runId: imported.id, mode: 'exact' });
    await waitRun(imported.id, silhouetteSettled);
    await call('runs/computeSilhouette', { runId: imported.id, mode: 'sample', sampleSize: 700 });
    const back = await waitRun(imported.id, silhouetteSettled);
    expect(back.silhouetteState).toBe('final');
    expect(await silhouetteOf(imported.id)).toEqual(original);
  }, 120_000);

  it('deleting the dataset stops a silhouette still computing for one of its runs; the run is then unknown', async () => {
    const run = await startRun({ mode: 'none' });
    await call('runs/computeSilhouette', { runId: run.id, mode: 'exact' });
    await call('datasets/delete', { id: datasetId });
    await queueEmpty();
    expect(await services.handle('runs/computeSilhouette', { runId: run.id, mode: 'exact' })).toMatchObject({ ok: false, code: 'not-found', message: `run ${run.id} does not exist` });
  }, 120_000);
});
