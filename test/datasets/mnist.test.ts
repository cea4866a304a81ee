import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src-main/datasets/mnist';

// Row sums and position-weighted sums (Σ (j+1)·x_j) of a few rows, and the sum of all pixels, computed
// independently with numpy from the same four files:
//   /usr/bin/python3 -c "import sys; sys.path.insert(0,'scripts/reference'); import data; X,y=data.mnist_70k(); ..."
const ROWS: [row: number, label: number, sum: number, weighted: number][] = [
  [0, 5, 27525, 11220489],
  [1, 0, 31095, 12269779],
  [59999, 8, 20920, 8549722],
  [60000, 7, 18454, 7715336],
  [69999, 6, 41833, 16588239],
];
const TOTAL = 1832221745;

describe('built-in MNIST', () => {
  it('loads 70,000 uint8 digits, train then test (OpenML mnist_784 order), quickly', () => {
    const t = performance.now();
    const ds = loadMnist();
    const ms = performance.now() - t;
    expect([ds.n, ds.d, ds.dtype, ds.name, ds.source]).toEqual([70000, 784, 'uint8', 'MNIST', 'builtin:mnist']);
    expect(ds.data).toBeInstanceOf(Uint8Array);
    expect(ds.data.length).toBe(70000 * 784);
    expect(ds.scale).toBe(1 / 255);
    expect(ds.imageShape).toEqual([28, 28, 1]);
    expect(ds.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    for (const [row, label, sum, weighted] of ROWS) {
      expect(ds.labels![row]).toBe(label);
      let s = 0;
      let w = 0;
      for (let j = 0; j < 784; j++) {
        s += ds.data[row * 784 + j];
        w += (j + 1) * ds.data[row * 784 + j];
      }
      expect([s, w]).toEqual([sum, weighted]);
    }
    let total = 0;
    for (let i = 0; i < ds.data.length; i++) total += ds.data[i];
    expect(total).toBe(TOTAL);
    const counts = new Array(10).fill(0);
    for (const l of ds.labels!) counts[l]++;
    expect(counts).toEqual([6903, 7877, 6990, 7141, 6824, 6313, 6876, 7293, 6825, 6958]);
    expect(ms).toBeLessThan(5000);
  });

  it('reads the pixels into the array its allocator gives (the CLI: the WASM kernels\' memory)', () => {
    const given: Uint8Array[] = [];
    const ds = loadMnist(undefined, (bytes) => {
      const a = new Uint8Array(bytes + 100).subarray(100);
      given.push(a);
      return a;
    });
    expect(given.length).toBe(1);
    expect(ds.data).toBe(given[0]);
    expect(Buffer.compare(ds.data as Uint8Array, loadMnist().data as Uint8Array)).toBe(0);
  });
});
