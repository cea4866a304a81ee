/**
 * Like-for-like measurement of the bounded Lloyd iterations on all of MNIST (70,000 × 784 uint8): Elkan's,
 * Yinyang's and Hamerly's bounds (forced by the kernel's options), alternating in one process on one kernel pool, from the same fixed initialisation (k distinct rows drawn with Rng(seed), so
 * k-means++ is out of the timing). Prints wall and process CPU seconds, n_iter, inertia and whether the labels are
 * the same; exits non-zero when they differ.
 *
 * Run: npx tsx scripts/measure-lloyd-bounds.ts [--k 100,500] [--rounds 2] [--seed 0] [--n 70000] [--threads T] [--only elkan|yinyang|hamerly] [--groups 5,…]
 * (--only runs one variant, for its peak RSS under /usr/bin/time -v.)
 */
import { loadMnist } from '../src-main/datasets/mnist';
import { fitKMeans } from '../src-main/engine/kmeans';
import { KernelPool } from '../src-main/engine/kernels/pool';
import { createWasmKernel, lastBoundKind, lastScreenedRows } from '../src-main/engine/kernels/wasm-kernel';
import type { WasmKernelOptions } from '../src-main/engine/kernels/wasm-staging';
import { Rng } from '../src-main/engine/rng';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const ks = arg('k', '100,500').split(',').map(Number);
  const rounds = Number(arg('rounds', '2'));
  const seed = Number(arg('seed', '0'));
  const only = arg('only', '');
  const all = loadMnist();
  // --n: the first n rows only (quicker comparisons)
  const n = Number(arg('n', String(all.n)));
  const X = { ...all, n, data: all.data.subarray(0, n * all.d), labels: undefined };
  const { d, data, scale } = X;
  const threads = arg('threads', '');
  const pool = threads === '' ? new KernelPool() : new KernelPool(Number(threads));
  await pool.ready();
  const variants: [string, WasmKernelOptions][] = [
    ['elkan', { yinyangMinK: Infinity }],
    ['yinyang', { yinyangMinK: 1 }],
    ['hamerly', { elkanMaxK: 0, yinyang: false }],
    ...arg('groups', '').split(',').filter((v) => v !== '').map((g): [string, WasmKernelOptions] => [`yinyang-g${g}`, { yinyangMinK: 1, yinyangGroupSize: Number(g) }]),
  ];
  const run = variants.filter(([name]) => only === '' || name === only);
  let same = true;
  for (const k of ks) {
    const rng = new Rng(seed);
    const picked = new Set<number>();
    while (picked.size < k) picked.add(rng.nextInt(n));
    const init = new Float64Array(k * d);
    [...picked].forEach((r, c) => {
      for (let j = 0; j < d; j++) init[c * d + j] = data[r * d + j] * scale;
    });
    const first = new Map<string, Int32Array>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, opts] of run) {
        const inner = createWasmKernel(pool, opts);
        // rows visited beyond the bound tests, summed over the assignments
        let visits = 0;
        const kernel = { ...inner, assign: (a: Parameters<typeof inner.assign>[0]) => { const v = inner.assign(a); visits += lastScreenedRows(); return v; } };
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await fitKMeans(X, { k, nInit: 1 }, { initCenters: init, kernel });
        const wall = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(c0);
        const ref = first.get('any');
        const eq = ref === undefined ? '' : ref.every((v, i) => v === r.labels[i]) ? 'labels same' : 'LABELS DIFFER';
        if (ref === undefined) first.set('any', r.labels);
        if (eq === 'LABELS DIFFER') same = false;
        console.log(`k ${k} ${name} (${lastBoundKind()}) round ${round}: ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ` +
          `rows visited ${visits}, n_iter ${r.nIter}, inertia ${r.inertia.toFixed(3)} ${eq}`);
      }
    }
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await pool.close();
  if (!same) process.exitCode = 1;
}

void main();
