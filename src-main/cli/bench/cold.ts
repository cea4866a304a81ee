/**
 * `bench --cold`: the fit as the CLI user gets it. Each fit runs in a fresh `kmeans-explorer cluster --dataset
 * mnist` process (no warm-up: WASM compiled, threads started and MNIST loaded in that process), defaults, k = 10,
 * no silhouette; its own `seconds.fit` is the fit's time, and the process's wall time is shown beside it. Against
 * KMeans / MiniBatchKMeans(n_clusters=10, n_init='auto') in the scikit-learn child, fit alone.
 */
import { spawn } from 'node:child_process';
import type { BenchContext, BenchRow, ModeResult } from './context';
import type { SkFit } from './sklearn-child';
import { emptyTimes, median, sec, settle } from './stats';
import { inertiaNote } from './warm';

interface ClusterJson {
  inertia: number;
  nIter: number;
  seconds: { load: number; fit: number };
}

/** Runs this CLI's `cluster` in a fresh process; resolves with its JSON and the process's wall seconds. */
export function clusterProcess(args: string[]): Promise<{ json: ClusterJson; wall: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'cluster', ...args, '--json', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`cluster exited with ${code}: ${err.trim()}`));
      try {
        resolve({ json: JSON.parse(out) as ClusterJson, wall });
      } catch (e) {
        reject(new Error(`cluster printed no JSON (${(e as Error).message}): ${out.slice(0, 200)}`));
      }
    });
  });
}

const ALGORITHMS = [
  { algorithm: 'minibatch', label: 'mini-batch', sklearn: "MiniBatchKMeans(n_init='auto')" },
  { algorithm: 'kmeans', label: 'K-means', sklearn: "KMeans(lloyd, n_init='auto')" },
] as const;

export async function runCold(c: BenchContext): Promise<ModeResult> {
  const { log, sk } = c;
  if (c.quick) log('--cold always uses all 70,000 digits (cluster --dataset mnist); --quick is ignored');
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const json: Record<string, unknown> = {};
  for (const a of ALGORITHMS) {
    const times = emptyTimes();
    const walls: number[] = [];
    const loads: number[] = [];
    for (const seed of c.seeds) {
      await settle();
      const { json: r, wall } = await clusterProcess(['--dataset', 'mnist', '--k', '10', '--algorithm', a.algorithm, '--seed', String(seed), '--silhouette', 'none']);
      times.ours.push(r.seconds.fit);
      times.oursQuality.push(r.inertia);
      times.oursIters.push(r.nIter);
      walls.push(wall);
      loads.push(r.seconds.load);
      log(`${a.label} seed ${seed}: cold cluster process: fit ${sec(r.seconds.fit)} s (load ${sec(r.seconds.load)} s, process ${sec(wall)} s)`);
      if (sk) {
        await settle();
        const s = await sk.call<SkFit>({ op: 'notebook', n: 70_000, seed, algorithm: a.algorithm, metrics: false });
        times.sklearn.push(s.seconds);
        times.sklearnCpu.push(s.cpu_seconds);
        times.sklearnQuality.push(s.inertia);
        times.sklearnIters.push(s.n_iter);
        log(`${a.label} seed ${seed}: scikit-learn ${sec(s.seconds)} s`);
      }
    }
    rows.push({ job: `${a.label} k=10 fit in a fresh cluster process vs ${a.sklearn}, seeds 0–${c.seeds.length - 1}`, times, note: inertiaNote(times) });
    notes.push(`${a.label}: median fresh process ${sec(median(walls))} s wall in all (Node start, MNIST load ${sec(median(loads))} s, fit, output)`);
    json[a.algorithm] = { ...times, processSeconds: walls, loadSeconds: loads };
  }
  return { rows, notes: ['Cold: the fit as `seconds.fit` of a fresh `cluster` process reports it (no warm-up fit in that process).', ...notes], json: { cold: json } };
}
