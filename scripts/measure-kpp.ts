/**
 * Like-for-like measurement of k-means++ on all of MNIST (70,000 × 784 uint8): the kernel's variants (forced by its
 * options) alternating in one process on one kernel pool, seed by seed. Prints wall and process CPU seconds, the
 * bounded run's pair counts, and whether the picks are the same as the first variant's; exits non-zero when not.
 *
 * Run: npx tsx scripts/measure-kpp.ts [--k 10,100,500] [--rounds 2] [--seed 0] [--n 70000] [--only unbounded,bounded,default,bounded-pP] [--dims 64,96 (bounded with P projected values)]
 */
import { loadMnist } from '../src-main/datasets/mnist';
import { kmeansPlusPlus } from '../src-main/engine/kmeans/init';
import { KernelPool } from '../src-main/engine/kernels/pool';
import { createWasmKernel } from '../src-main/engine/kernels/wasm-kernel';
import { lastKppBoundedRun } from '../src-main/engine/kernels/wasm-kpp';
import type { WasmKernelOptions } from '../src-main/engine/kernels/wasm-staging';
import { Rng } from '../src-main/engine/rng';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const ks = arg('k', '10,100,500').split(',').map(Number);
  const rounds = Number(arg('rounds', '2'));
  const seed = Number(arg('seed', '0'));
  const all = loadMnist();
  const n = Number(arg('n', String(all.n)));
  const { d } = all;
  const data = all.data.subarray(0, n * d);
  const pool = new KernelPool();
  await pool.ready();
  const variants: [string, WasmKernelOptions][] = [
    // the plain session (no bounds), the bounded one whatever k and n, and the default choice between them
    ['unbounded', { kppBounds: false }],
    ['bounded', { kppBoundsMinSteps: 1 }],
    ['default', {}],
    ...arg('dims', '').split(',').filter((v) => v !== '').map((v): [string, WasmKernelOptions] => [`bounded-p${v}`, { kppBoundDims: Number(v), kppBoundsMinSteps: 1 }]),
  ];
  const only = arg('only', '');
  const run = variants.filter(([name]) => only === '' || only.split(',').includes(name));
  let same = true;
  for (const k of ks) {
    let first: Int32Array | null = null;
    for (let round = 0; round < rounds; round++) {
      for (const [name, opts] of run) {
        const kernel = createWasmKernel(pool, opts);
        const rowNorms = new Float64Array(n);
        kernel.rowNorms(data, d, 0, n, rowNorms);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const before = lastKppBoundedRun()?.id ?? 0;
        const picks = kmeansPlusPlus(data, n, d, rowNorms, k, new Rng(seed), kernel);
        // a bounded run leaves a new record behind
        const after = lastKppBoundedRun();
        const b = after !== null && after.id !== before ? after : null;
        const wall = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(c0);
        const eq = first === null ? '' : first.every((v, i) => v === picks[i]) ? 'picks same' : 'PICKS DIFFER';
        if (first === null) first = picks;
        if (eq === 'PICKS DIFFER') same = false;
        const stats = b === null ? '' : `, pairs ${b.pairs}, exact ${b.computed} (${((100 * b.computed) / b.pairs).toFixed(1)} %)`;
        console.log(`k ${k} ${name} round ${round}: ${wall.toFixed(3)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s CPU, ${b === null ? 'plain' : 'bounded'}${stats} ${eq}`);
        const g = globalThis as any; if (g.T_run !== undefined) console.log(`  basis ${g.T_basis.toFixed(0)} ms, projection ${g.T_proj.toFixed(0)} ms, trials ${g.T_run.toFixed(0)} ms, commits ${g.T_commit.toFixed(0)} ms`);
      }
    }
  }
  await pool.close();
  if (!same) process.exitCode = 1;
}

void main();
