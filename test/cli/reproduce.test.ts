/**
 * `cluster --export DIR` then the exported reproduce.py run by scikit-learn 1.2: model.labels_ must equal
 * labels.npy element for element, model.inertia_ the run's inertia and model.cluster_centers_ centers.npy.
 * Needs Python 3 with scikit-learn (Debian's python3-sklearn; `KMX_PYTHON` names another interpreter) and
 * skips, saying why, without it. MNIST is given to reproduce.py as a local .npz built from the app's own IDX
 * files (fetch_openml needs the internet), in the same OpenML row order.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src-main/datasets/idx';
import { mnistDataDir } from '../../src-main/datasets/mnist';
import { encodeNpy } from '../../src-main/datasets/npy';
import { Rng } from '../../src-main/engine/rng';
import { MNIST_NPZ_ENV } from '../../src-main/export/reproduce-py';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(__dirname, '../..');
const PYTHON = process.env.KMX_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
const sklearnVersion = probe.status === 0 ? probe.stdout.trim() : null;
const skipReason = sklearnVersion ? null : `scikit-learn is not importable by ${PYTHON} (${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop()})`;
if (skipReason) console.warn(`reproduce.py tests skipped: ${skipReason}`);

const dir = tempDir('reproduce');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: ROOT, timeout: 240_000, maxBuffer: 1 << 26, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args]);

/** Runs DIR/reproduce.py as a module (not as __main__) and compares its model with the exported files. */
const CHECK = `
import json, runpy, sys
import numpy as np
d = sys.argv[1]
m = runpy.run_path(d + '/reproduce.py')['model']
labels = np.load(d + '/labels.npy')
centers = np.load(d + '/centers.npy')
run = json.load(open(d + '/run.json'))
print(json.dumps({
  'mismatches': int((m.labels_ != labels).sum()), 'n': int(labels.shape[0]),
  'labelsDtype': str(labels.dtype), 'centersDtype': str(centers.dtype), 'centersShape': list(centers.shape),
  'inertia': float(m.inertia_), 'runInertia': run['inertia'],
  'centersMaxDiff': float(np.abs(m.cluster_centers_ - centers).max()),
  'nIter': int(m.n_iter_), 'estimator': type(m).__name__,
}))
`;

interface Check {
  mismatches: number;
  n: number;
  labelsDtype: string;
  centersDtype: string;
  centersShape: number[];
  inertia: number;
  runInertia: number;
  centersMaxDiff: number;
  nIter: number;
  estimator: string;
}

async function exportAndReproduce(name: string, clusterArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<{ out: string; check: Check }> {
  const out = join(dir, name);
  const c = await cli('cluster', ...clusterArgs, '--silhouette', 'none', '--export', out);
  expect(c.code, c.stderr).toBe(0);
  const py = await run(PYTHON, ['-c', CHECK, out], env);
  expect(py.code, py.stderr).toBe(0);
  return { out, check: JSON.parse(py.stdout.trim().split('\n').pop()!) as Check };
}

function expectSameRun(check: Check, n: number, shape: number[], estimator: string): void {
  expect(check.n).toBe(n);
  expect(check.labelsDtype).toBe('int32');
  expect(check.centersDtype).toBe('float64');
  expect(check.centersShape).toEqual(shape);
  expect(check.estimator).toBe(estimator);
  expect(check.mismatches).toBe(0);
  // the same clustering; the sums differ only in their order of addition
  expect(Math.abs(check.inertia - check.runInertia) / check.runInertia).toBeLessThan(1e-9);
  expect(check.centersMaxDiff).toBeLessThan(1e-9);
}

/** Four overlapping Gaussian blobs in 6 dimensions with a string label column in the middle (so usecols matters). */
function writeOverlappingCsv(path: string): number {
  const rng = new Rng(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const lines = ['a,b,c,class,d,e,f'];
  const n = 400;
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    const x = Array.from({ length: 6 }, (_, j) => (j % 4 === c ? 2.5 : 0) + gauss() * (1 + j / 3));
    lines.push([...x.slice(0, 3).map((v) => v.toFixed(6)), `k${c}`, ...x.slice(3).map((v) => (v * 100).toFixed(3))].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return n;
}

describe.skipIf(skipReason !== null)(`reproduce.py with scikit-learn ${sklearnVersion ?? '(absent)'}`, () => {
  const csv = join(dir, 'overlap.csv');
  const n = writeOverlappingCsv(csv);
  const npz = join(dir, 'mnist.npz');

  beforeAll(async () => {
    // the app's MNIST as an .npz, 60,000 training then 10,000 test images: OpenML's order
    const make = `
import sys, numpy as np
d = sys.argv[1]
imgs = [np.frombuffer(open(f'{d}/{p}-images-idx3-ubyte', 'rb').read(), np.uint8, offset=16).reshape(-1, 784) for p in ('train', 't10k')]
np.savez(sys.argv[2], X=np.concatenate(imgs))
`;
    const r = await run(PYTHON, ['-c', make, mnistDataDir(), npz]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('a CSV run (label column in the middle, standardized): labels, centers and inertia equal; score --labels gives the inertia back', async () => {
    const { out, check } = await exportAndReproduce('csv', ['--dataset', csv, '--n-clusters', '5', '--random-state', '3', '--preprocess', 'standardize']);
    expectSameRun(check, n, [5, 6], 'KMeans');
    const code = readFileSync(join(out, 'reproduce.py'), 'utf8');
    expect(code).toContain('StandardScaler().fit_transform(X)');
    expect(code).toContain('usecols=[0, 1, 2, 4, 5, 6]');

    // the inertia of a labeling is to its cluster means: the same as the run's only in the units it was fit in
    const raw = await cli('cluster', '--dataset', csv, '--k', '5', '--seed', '3', '--silhouette', 'none', '--export', join(dir, 'csv-raw'));
    expect(raw.code, raw.stderr).toBe(0);
    const runJson = JSON.parse(readFileSync(join(dir, 'csv-raw', 'run.json'), 'utf8')) as { inertia: number };
    const s = await cli('score', '--dataset', csv, '--labels', join(dir, 'csv-raw', 'labels.npy'), '--silhouette', 'none', '--json', '-');
    expect(s.code, s.stderr).toBe(0);
    const scored = JSON.parse(s.stdout) as { inertia: number; clusters: number };
    expect(scored.clusters).toBe(5);
    expect(Math.abs(scored.inertia - runJson.inertia) / runJson.inertia).toBeLessThan(1e-9);
  }, 240_000);

  it('a float64 .npy (min-max scaled, random init, n_init 3) and a uint8 IDX file (in [0, 1]): labels, centers and inertia equal', async () => {
    const rng = new Rng(5);
    const rows = 300;
    const f64 = Float64Array.from({ length: rows * 3 }, (_, i) => (i % 3) * 10 + rng.nextFloat() * (1 + (i % 7)) * (Math.floor(i / 3) % 3));
    const npy = join(dir, 'points.npy');
    writeFileSync(npy, encodeNpy({ type: 'float64', shape: [rows, 3], data: f64 }));
    const a = await exportAndReproduce('npy', ['--dataset', npy, '--k', '4', '--seed', '9', '--init', 'random', '--n-init', '3', '--preprocess', 'scale']);
    expectSameRun(a.check, rows, [4, 3], 'KMeans');
    expect(readFileSync(join(a.out, 'reproduce.py'), 'utf8')).toContain('MinMaxScaler().fit_transform(X)');

    const pixels = Uint8Array.from({ length: 240 * 36 }, (_, i) => ((Math.floor(i / 36) % 3) * 80 + Math.floor(rng.nextFloat() * 90)) & 255);
    const idx = join(dir, 'tiles-images-idx3-ubyte');
    writeFileSync(idx, encodeIdx({ type: 'uint8', shape: [240, 6, 6], data: pixels }));
    const b = await exportAndReproduce('idx', ['--dataset', idx, '--algorithm', 'minibatch', '--k', '3', '--seed', '2', '--batch-size', '64']);
    expectSameRun(b.check, 240, [3, 36], 'MiniBatchKMeans');
  }, 240_000);

  it('MNIST mini-batch (70,000 digits): labels, centers and inertia equal; score --labels labels.npy gives the inertia', async () => {
    const { out, check } = await exportAndReproduce('mnist-minibatch', ['--dataset', 'mnist', '--algorithm', 'minibatch', '--k', '10', '--seed', '1'], {
      [MNIST_NPZ_ENV]: npz,
    });
    expectSameRun(check, 70_000, [10, 784], 'MiniBatchKMeans');
    const code = readFileSync(join(out, 'reproduce.py'), 'utf8');
    expect(code).toContain("fetch_openml('mnist_784', version=1, return_X_y=True, as_frame=False, parser='auto')");
    expect(code).toContain('X = X / 255');
    const s = await cli('score', '--dataset', 'mnist', '--labels', join(out, 'labels.npy'), '--silhouette', 'none', '--json', '-');
    expect(s.code, s.stderr).toBe(0);
    // mini-batch's inertia comes from its final full assignment pass: the labels' own cluster means are its centers
    // only up to the last steps' updates, so the scored inertia (to the means) is at most the run's
    const scored = (JSON.parse(s.stdout) as { inertia: number }).inertia;
    expect(scored).toBeLessThanOrEqual(check.runInertia * (1 + 1e-12));
    expect(scored).toBeGreaterThan(check.runInertia * 0.99);
    // with the run's centers, the run's inertia itself
    const sc = await cli('score', '--dataset', 'mnist', '--labels', join(out, 'labels.npy'), '--centers', join(out, 'centers.npy'), '--silhouette', 'none', '--json', '-');
    expect(sc.code, sc.stderr).toBe(0);
    const withCenters = (JSON.parse(sc.stdout) as { inertia: number }).inertia;
    expect(Math.abs(withCenters - check.runInertia) / check.runInertia).toBeLessThan(1e-9);
  }, 240_000);

  it('MNIST Lloyd (70,000 digits): labels, centers and inertia equal', async () => {
    const { check } = await exportAndReproduce('mnist-lloyd', ['--dataset', 'mnist', '--k', '10', '--seed', '2'], { [MNIST_NPZ_ENV]: npz });
    expectSameRun(check, 70_000, [10, 784], 'KMeans');
  }, 240_000);
});
