import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/engine/rng';
import { encodeNpy } from '../../src-main/datasets/npy';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(__dirname, '../..');
const dir = tempDir('cli');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as `npx tsx src-main/cli.ts …` does. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** Three well-separated blobs in 4 dimensions, 30 points each, with a label column. */
function writeBlobs(path: string): { n: number; truth: number[] } {
  const rng = new Rng(7);
  const lines = ['f1,f2,f3,f4,label'];
  const truth: number[] = [];
  const names = ['red', 'green', 'blue'];
  for (let i = 0; i < 90; i++) {
    const c = i % 3;
    const x = [0, 1, 2, 3].map((j) => (j === c ? 20 : 0) + rng.nextFloat() - 0.5);
    lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${names[c]}`);
    truth.push(c);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { n: 90, truth };
}

const blobs = join(dir, 'blobs.csv');
writeBlobs(blobs);

/** A user error is one line on stderr, naming the problem, with no stack trace, and exit code 2. */
function expectUserError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('kmeans-explorer CLI (child process)', () => {
  it('prints usage without a command (exit 2) and per-command help (exit 0)', async () => {
    const [none, top, cluster, score] = await Promise.all([cli(), cli('--help'), cli('cluster', '--help'), cli('score', '-h')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: kmeans-explorer <command>/);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/cluster .*\n.*score /);
    expect(cluster.code).toBe(0);
    expect(cluster.stdout).toMatch(/--silhouette exact\|sample\|none/);
    expect(cluster.stdout).toMatch(/default: sample/);
    expect(cluster.stdout).toMatch(/--sample-size N .*default 10000/);
    expect(score.code).toBe(0);
    expect(score.stdout).toMatch(/--labels FILE/);
  });

  it('clusters a CSV and writes the JSON result; score of those labels gives the same metrics', async () => {
    const out = join(dir, 'result.json');
    const r = await cli('cluster', '--dataset', blobs, '--k', '3', '--seed', '1', '--silhouette', 'exact', '--json', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dataset\s+blobs \(.*blobs\.csv\): 90 × 4 float32, no labels|dataset\s+blobs .*90 × 4 float32, 3 classes/);
    expect(r.stdout).toMatch(/^inertia\s+\d/m);
    expect(r.stdout).toMatch(/^silhouette\s+0\.\d+ \(exact, all 90 rows/m);
    expect(r.stdout).toMatch(/^NMI\s+1\n/m);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    for (const key of ['inertia', 'nIter', 'silhouette', 'seconds', 'metrics', 'params', 'labels', 'centers']) expect(json).toHaveProperty(key);
    expect(Object.keys(json.seconds).sort()).toEqual(['fit', 'load', 'metrics', 'silhouette']);
    expect(Object.keys(json.metrics).sort()).toEqual(
      ['accuracy', 'ami', 'ari', 'calinskiHarabasz', 'completeness', 'daviesBouldin', 'homogeneity', 'nmi', 'purity', 'vMeasure'],
    );
    expect(json.params).toMatchObject({ algorithm: 'kmeans', k: 3, seed: 1, init: 'k-means++', maxIter: 300, tol: 1e-4 });
    expect(json.labels).toHaveLength(90);
    expect(json.centers).toHaveLength(3);
    expect(json.centers[0]).toHaveLength(4);
    expect(json.metrics.ari).toBeCloseTo(1, 12);
    expect(json.metrics.accuracy).toBe(1);
    expect(json.silhouette).toBeGreaterThan(0.9);

    // the same labeling scored from a text file and from a .npy of int64
    const txt = join(dir, 'labels.txt');
    writeFileSync(txt, `${json.labels.join('\n')}\n`);
    const npy = join(dir, 'labels.npy');
    writeFileSync(npy, encodeNpy({ type: 'int64', shape: [90], data: BigInt64Array.from(json.labels.map(BigInt)) }));
    const scoreOut = join(dir, 'score.json');
    const [s1, s2] = await Promise.all([
      cli('score', '--dataset', blobs, '--labels', txt, '--silhouette', 'exact', '--json', scoreOut),
      cli('score', '--dataset', blobs, '--labels', npy, '--silhouette', 'exact', '--json', '-'),
    ]);
    expect(s1.code, s1.stderr).toBe(0);
    expect(s1.stdout).toMatch(/labeling\s+.*labels\.txt: 3 clusters/);
    const scored = JSON.parse(readFileSync(scoreOut, 'utf8'));
    expect(scored.metrics.ari).toBeCloseTo(json.metrics.ari, 12);
    expect(scored.metrics.daviesBouldin).toBeCloseTo(json.metrics.daviesBouldin, 10);
    expect(scored.inertia).toBeCloseTo(json.inertia, 6);
    expect(scored.silhouette).toBeCloseTo(json.silhouette, 12);
    expect(s2.code, s2.stderr).toBe(0);
    expect(JSON.parse(s2.stdout).metrics).toEqual(scored.metrics);
    expect(s2.stderr).toMatch(/^ARI\s+1$/m); // the summary goes to stderr when the JSON goes to stdout
  });

  it('runs mini-batch with a sampled silhouette on the same CSV', async () => {
    const r = await cli('cluster', '--dataset', blobs, '--algorithm', 'minibatch', '--k', '3', '--batch-size', '32', '--sample-size', '40', '--json', '-');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.params).toMatchObject({ algorithm: 'minibatch', batchSize: 32 });
    expect(json.silhouetteSample).toEqual({ exact: false, sampleSize: 40 });
    expect(r.stderr).toMatch(/sampled: 40 of 90 rows/);
  });

  it('--preprocess standardize clusters z-scores (float data defaults to none)', async () => {
    const [raw, z, bad] = await Promise.all([
      cli('cluster', '--dataset', blobs, '--k', '3', '--seed', '1', '--silhouette', 'none', '--json', '-'),
      cli('cluster', '--dataset', blobs, '--k', '3', '--seed', '1', '--silhouette', 'none', '--preprocess', 'standardize', '--json', '-'),
      cli('cluster', '--dataset', blobs, '--k', '3', '--preprocess', 'zscore'),
    ]);
    const [a, b] = [raw, z].map((r) => (expect(r.code, r.stderr).toBe(0), JSON.parse(r.stdout)));
    expect(a.preprocessing).toBe('none');
    expect(b.preprocessing).toBe('standardize');
    expect(b.metrics.nmi).toBe(1);
    expect(b.inertia).not.toBeCloseTo(a.inertia, 1);
    expectUserError(bad, /--preprocess must be one of none, scale, standardize, got "zscore"/);
  });

  it('embed --method pca writes the map of every row as JSON', async () => {
    const [r, bad, missing] = await Promise.all([
      cli('embed', '--dataset', blobs, '--method', 'pca', '--json', '-'),
      cli('embed', '--dataset', blobs, '--method', 'tsne'),
      cli('embed', '--dataset', blobs),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ method: 'pca', kind: 'pca', dims: 2, n: 90, preprocessing: 'none' });
    expect(json.rows).toEqual(Array.from({ length: 90 }, (_, i) => i));
    expect(json.coords).toHaveLength(180);
    // three blobs, one per axis direction: the first two components carry about 2/3 of the variance
    expect(json.explainedVarianceRatio[0] + json.explainedVarianceRatio[1]).toBeGreaterThan(0.6);
    expect(r.stderr).toMatch(/explained variance\s+0\.\d+, 0\.\d+/);
    expectUserError(bad, /^kmeans-explorer embed: --method must be one of pca, umap, got "tsne"$/);
    expectUserError(missing, /^kmeans-explorer embed: missing --method/);
  });

  it('reports bad input as one line with exit code 2', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,x\n');
    const short = join(dir, 'short.txt');
    writeFileSync(short, '0\n1\n');
    const labels90 = join(dir, 'labels90.txt');
    writeFileSync(labels90, Array.from({ length: 90 }, (_, i) => String(i % 3)).join('\n'));
    const wideCenters = join(dir, 'wide-centers.npy');
    writeFileSync(wideCenters, encodeNpy({ type: 'float64', shape: [3, 999], data: new Float64Array(3 * 999) }));
    const fewCenters = join(dir, 'few-centers.npy');
    writeFileSync(fewCenters, encodeNpy({ type: 'float64', shape: [2, 2], data: new Float64Array(4) }));
    const newer = join(dir, 'newer');
    mkdirSync(newer);
    const db = new Database(join(newer, 'kmeans-explorer.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^kmeans-explorer: unknown command "frobnicate"; commands: (.*, )?cluster, (.*, )?score\b/],
      [['cluster', '--dataset', blobs, '--k', '3', '--bogus'], /^kmeans-explorer cluster: unknown option --bogus; see "kmeans-explorer cluster --help"$/],
      [['cluster', '--dataset', blobs, '--k'], /^kmeans-explorer cluster: option --k needs a value/],
      [['cluster', '--dataset', blobs], /^kmeans-explorer cluster: missing --k/],
      [['cluster', '--k', '3'], /^kmeans-explorer cluster: missing --dataset/],
      [['cluster', '--dataset', blobs, '--k', 'ten'], /^kmeans-explorer cluster: --k must be an integer, got "ten"$/],
      [['cluster', '--dataset', blobs, '--k', '91'], /^kmeans-explorer cluster: invalid --k: k must be an integer in \[1, n=90\], got 91$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--n-init', '0'], /^kmeans-explorer cluster: invalid --n-init: nInit must be 'auto' or an integer ≥ 1, got 0$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--tol=-1'], /^kmeans-explorer cluster: invalid --tol: tol must be a finite number ≥ 0, got -1$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--tol', '-1'], /^kmeans-explorer cluster: option --tol: write a value that starts with "-" as --tol=VALUE$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--algorithm', 'dbscan'], /^kmeans-explorer cluster: --algorithm must be one of kmeans, minibatch, got "dbscan"$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--silhouette', 'exact', '--sample-size', '5'], /--sample-size needs --silhouette sample/],
      [['cluster', '--dataset', join(dir, 'nope.csv'), '--k', '3'], /^kmeans-explorer cluster: nope\.csv: no such file or folder$/],
      [['cluster', '--dataset', bad, '--k', '2'], /^kmeans-explorer cluster: bad\.csv: line 3, column 2 \(b\): "x" is not a number$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--json', join(dir, 'no/such/dir/out.json')], /^kmeans-explorer cluster: cannot write --json .*out\.json/],
      [['score', '--dataset', blobs, '--labels', short], /^kmeans-explorer score: short\.txt: has 2 labels but the dataset blobs has 90 rows; there must be one label per row$/],
      [['score', '--dataset', blobs, '--labels', bad], /^kmeans-explorer score: bad\.csv: has no labels column: its header \(a, b\) names none of cluster, label, labels, prediction$/],
      [['score', '--dataset', blobs], /^kmeans-explorer score: missing --labels/],
      [['score', '--dataset', blobs, '--labels', labels90, '--centers', wideCenters], /^kmeans-explorer score: wide-centers\.npy: has centers of 999 features, but the dataset has 4$/],
      [['score', '--dataset', blobs, '--labels', labels90, '--centers', join(dir, 'none.npy')], /^kmeans-explorer score: none\.npy: no such file or folder$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--n-clusters', '4'], /^kmeans-explorer cluster: --k 3 and --n-clusters 4 disagree; give one of them$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--data-dir', dir], /^kmeans-explorer cluster: --data-dir goes with --save$/],
      [['score', '--dataset', blobs, '--labels', short, '--name', 'x'], /^kmeans-explorer score: --name goes with --save$/],
      [['cluster', '--dataset', blobs, '--k', '3', '--silhouette', 'none', '--save', '--data-dir', newer], /^kmeans-explorer cluster: .*kmeans-explorer\.sqlite was written by a newer version of K-means Explorer \(schema version 999;/],
      [['bench', '--only', 'kmeans,dbscan'], /^kmeans-explorer bench: --only takes kmeans, minibatch, silhouette, pca; got "dbscan"$/],
    ];
    // two at a time: this machine has 2 cores
    const runs: Run[] = [];
    for (let i = 0; i < cases.length; i += 2) runs.push(...(await Promise.all(cases.slice(i, i + 2).map(([args]) => cli(...args)))));
    runs.forEach((r, i) => expectUserError(r, cases[i][1]));
  });

  it('clusters the built-in MNIST with mini-batch in the range scikit-learn gets', async () => {
    const t = performance.now();
    const r = await cli('cluster', '--dataset', 'mnist', '--algorithm', 'minibatch', '--k', '10', '--seed', '0', '--silhouette', 'none', '--json', '-');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.dataset).toMatchObject({ n: 70000, d: 784, dtype: 'uint8' });
    expect(json.inertia).toBeGreaterThan(2.74e6);
    expect(json.inertia).toBeLessThan(2.79e6);
    expect(json.metrics.nmi).toBeGreaterThan(0.44);
    expect(json.metrics.nmi).toBeLessThan(0.52);
    expect(json.silhouette).toBeNull();
    expect(r.stderr).toMatch(/silhouette\s+— \(not computed: --silhouette none\)/);
    expect(performance.now() - t).toBeLessThan(60_000);
  });
});
