/**
 * Runs saved by another process while the app is open: `cluster --save` and `score --labels … --save` (the real
 * CLI in child processes) write to the open app's database; the app announces them without a restart, the
 * external one with every metric, the cluster means as centers, and comparable with the app's own run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { encodeNpy, parseNpy } from '../../src-main/datasets/npy';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Services } from '../../src-main/services';
import { serviceCalls } from '../helpers/service-calls';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(__dirname, '../..');
let dir: string;
let services: Services;
const { record, call, waitEvent } = serviceCalls(() => services, 60_000);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const N = 240;
/** Four 2-D blobs with a label column, as the app and the CLI both read it. */
function blobsCsv(): { text: string; rows: number[][] } {
  const rng = new Rng(5);
  const rows: number[][] = [];
  let text = 'x,y,label\n';
  for (let i = 0; i < N; i++) {
    const c = i % 4;
    const row = [(c % 2) * 6 + rng.nextFloat() * 3, Math.floor(c / 2) * 6 + rng.nextFloat() * 3].map((v) => Number(v.toFixed(3)));
    rows.push(row);
    text += `${row[0]},${row[1]},${c}\n`;
  }
  return { text, rows };
}

const { text, rows } = blobsCsv();
let csvPath: string;
let datasetId: number;
let appRun: RunInfo;

beforeAll(async () => {
  dir = makeTempDir('external');
  csvPath = join(dir, 'blobs.csv');
  writeFileSync(csvPath, text);
  services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false, externalPollMs: 100 });
  record();
  const imported = await call('datasets/import', { files: [{ name: 'blobs.csv', bytes: new TextEncoder().encode(text) }] });
  datasetId = imported.dataset.id;
  const started = await call('runs/start', { datasetId, params: { k: 4, seed: 1 }, silhouette: { mode: 'exact' } });
  // done, and its silhouette (which follows `done`) landed
  appRun = await waitEvent('run/updated', (r) => r.id === started.runs[0].id && r.status === 'done' && r.silhouetteState === 'final');
}, 120_000);

afterAll(async () => {
  await services?.close();
  removeTempDir(dir);
});

describe('runs saved by the CLI while the app is open', () => {
  it('cluster --save: the open app announces the run (origin cli) on the same dataset, with its arrays', async () => {
    const r = await cli('cluster', '--dataset', csvPath, '--n-clusters', '4', '--random-state', '1', '--silhouette', 'exact', '--save', '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/saved {7}run \d+ "K-means k=4 · seed 1 · exact silhouette" on blobs/);
    const saved = await waitEvent('run/updated', (x) => x.origin.kind === 'cli');
    expect(saved.datasetId).toBe(datasetId);
    expect(saved.status).toBe('done');
    expect(saved.origin.source).toMatch(/^cluster --dataset .*blobs\.csv --n-clusters 4/);
    // the same seed as the app's run: the same clustering
    expect(saved.metrics!.inertia).toBeCloseTo(appRun.metrics!.inertia, 9);
    expect(saved.metrics!.silhouette).toBeCloseTo(appRun.metrics!.silhouette!, 12);
    const arrays = await call('runs/arrays', { id: saved.id });
    expect(arrays.labels).toHaveLength(N);
    expect(arrays.silhouette!.values).toHaveLength(N);
    expect((await call('runs/compare', { a: appRun.id, b: saved.id })).ari).toBe(1);
    const ds = await waitEvent('dataset/imported', (d) => d.id === datasetId && d.runCount === 2);
    expect(ds.name).toBe('blobs');
  }, 120_000);

  it('score --labels … --save: an external run with its inertia, clusters, every metric and the cluster means', async () => {
    // a labeling made elsewhere, in the app's own "row,cluster" CSV layout, with label values that are not 0 … K − 1
    const labels = rows.map((r) => (r[0] < 4.5 ? -1 : r[1] < 4.5 ? 7 : 9));
    const file = join(dir, 'faiss-labels.csv');
    writeFileSync(file, `row,cluster\n${labels.map((c, i) => `${i},${c}`).join('\n')}\n`);
    const r = await cli('score', '--dataset', csvPath, '--labels', file, '--silhouette', 'exact', '--save', '--data-dir', dir, '--json', '-');
    expect(r.code, r.stderr).toBe(0);
    const scored = JSON.parse(r.stdout) as { inertia: number; clusters: number; silhouette: number; metrics: { ari: number } };
    const run = await waitEvent('run/updated', (x) => x.origin.kind === 'external');
    expect(run).toMatchObject({ status: 'done', datasetId, name: 'faiss-labels.csv (3 clusters)', origin: { kind: 'external', source: 'faiss-labels.csv' } });
    expect(run.params.k).toBe(3);
    expect(run.metrics!.inertia).toBe(scored.inertia);
    expect(run.metrics!.silhouette).toBe(scored.silhouette);
    expect(run.metrics!.ari).toBe(scored.metrics.ari);
    expect(run.metrics!.daviesBouldin).not.toBeNull();
    const byValue = [-1, 7, 9].map((v) => labels.filter((c) => c === v).length);
    expect(run.clusterSizes).toEqual(byValue);

    const arrays = await call('runs/arrays', { id: run.id });
    for (let c = 0; c < 3; c++) {
      const members = rows.filter((_, i) => labels[i] === [-1, 7, 9][c]);
      for (let j = 0; j < 2; j++) {
        const mean = members.reduce((s, m) => s + Math.fround(m[j]), 0) / members.length;
        expect(arrays.centers![c * 2 + j]).toBeCloseTo(mean, 9);
      }
    }
    const cmp = await call('runs/compare', { a: appRun.id, b: run.id });
    expect(cmp.ari).toBeGreaterThan(0.3);
    expect(cmp.ari).toBeLessThan(1);
    const contingency = await call('runs/contingency', { id: run.id });
    expect(Array.from(contingency.matrix).reduce((a, b) => a + b, 0)).toBe(N);
  }, 120_000);
});

const PYTHON = process.env.KMX_PYTHON ?? '/usr/bin/python3';
const hasSklearn = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;

describe('a dataset the open app does not have yet', () => {
  it('cluster --save on a new file: the app announces the new dataset and its run', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, text.replace(/\n(\d)/g, '\n1$1'));
    const known = new Set((await call('datasets/list', {})).map((d) => d.id));
    const r = await cli('cluster', '--dataset', other, '--k', '2', '--silhouette', 'none', '--save', '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    const ds = await waitEvent('dataset/imported', (d) => !known.has(d.id));
    expect(ds).toMatchObject({ name: 'other', n: N, d: 2, runCount: 1 });
    const run = await waitEvent('run/updated', (x) => x.datasetId === ds.id);
    expect(run).toMatchObject({ status: 'done', origin: { kind: 'cli' }, name: 'K-means k=2 · seed 0 · no silhouette' });
    expect((await call('runs/list', { datasetId: ds.id })).map((x) => x.id)).toEqual([run.id]);
  }, 120_000);
});

describe('runs/importLabeling and runs/export', () => {
  it('a labels .npy becomes an external run, announced, comparable with the app run; bad files are a bad request', async () => {
    const labels = Int32Array.from(rows, (r) => (r[1] < 4.5 ? 3 : 5));
    const bytes = encodeNpy({ type: 'int64', shape: [N], data: BigInt64Array.from(labels, (v) => BigInt(v)) });
    const run = await call('runs/importLabeling', { datasetId, file: { name: 'faiss_I.npy', bytes }, silhouette: { mode: 'exact' } });
    expect(run).toMatchObject({ status: 'done', name: 'faiss_I.npy (2 clusters)', origin: { kind: 'external', source: 'faiss_I.npy' } });
    expect(run.metrics!.silhouette).not.toBeNull();
    expect(run.clusterSizes!.reduce((a, b) => a + b, 0)).toBe(N);
    await waitEvent('run/updated', (r) => r.id === run.id);
    const cmp = await call('runs/compare', { a: appRun.id, b: run.id });
    expect(cmp.ari).toBeGreaterThan(0.3);

    const short = await services.handle('runs/importLabeling', { datasetId, file: { name: 'short.txt', bytes: new TextEncoder().encode('1\n2\n') } });
    expect(short).toMatchObject({ ok: false, code: 'bad-request' });
    expect((short as { message: string }).message).toMatch(/short\.txt: has 2 labels but the dataset blobs has 240 rows/);
    const junk = await services.handle('runs/importLabeling', { datasetId, file: { name: 'two.csv', bytes: new TextEncoder().encode('0,1\n1,0\n') } });
    expect((junk as { message: string }).message).toMatch(/two\.csv: has 2 columns and no header/);
    // main is still answering
    expect((await call('runs/get', { id: run.id })).id).toBe(run.id);

    const exported = await call('runs/export', { id: run.id });
    expect(exported.files.map((f) => f.name)).toEqual(['labels.npy', 'centers.npy', 'run.json']);
    expect(exported.code).toBeNull();
    expect(exported.reproduceNote).toMatch(/made elsewhere/);
  }, 120_000);

  it("the app run's export: labels.npy and centers.npy as stored, run.json, and a reproduce.py that loads the uploaded CSV", async () => {
    const exported = await call('runs/export', { id: appRun.id });
    expect(exported.files.map((f) => f.name)).toEqual(['labels.npy', 'centers.npy', 'run.json', 'reproduce.py']);
    const arrays = await call('runs/arrays', { id: appRun.id });
    const file = (name: string) => exported.files.find((f) => f.name === name)!.bytes;
    const labels = parseNpy('labels.npy', file('labels.npy'));
    expect(labels).toMatchObject({ type: 'int32', shape: [N] });
    expect(Array.from(labels.data as Int32Array)).toEqual(Array.from(arrays.labels!));
    const centers = parseNpy('centers.npy', file('centers.npy'));
    expect(centers).toMatchObject({ type: 'float64', shape: [4, 2] });
    expect(Array.from(centers.data as Float64Array)).toEqual(Array.from(arrays.centers!));
    const json = JSON.parse(new TextDecoder().decode(file('run.json')));
    expect(json).toMatchObject({ inertia: appRun.metrics!.inertia, sklearn: { estimator: 'KMeans', n_init: 1, random_state: 1 }, preprocessing: { mode: 'none' } });
    expect(exported.code).toContain("np.loadtxt(os.environ.get('KMX_DATA', 'blobs.csv'), delimiter=',', skiprows=1, usecols=range(2)");
    expect(new TextDecoder().decode(file('reproduce.py'))).toBe(exported.code);
  });

  it.skipIf(!hasSklearn)("the app run's reproduce.py gives its labels in scikit-learn", async () => {
    const out = join(dir, 'app-export');
    mkdirSync(out);
    for (const f of (await call('runs/export', { id: appRun.id })).files) writeFileSync(join(out, f.name), f.bytes);
    const r = spawnSync(PYTHON, [join(out, 'reproduce.py')], { encoding: 'utf8', env: { ...process.env, KMX_DATA: csvPath } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/labels equal labels\.npy: True/);
  });
});
