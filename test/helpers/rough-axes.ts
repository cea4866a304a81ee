/**
 * The TypeScript form of the k-means++ bounds' basis (the WASM kernel's kppBasisU8, assembly/kpp.ts): block power
 * iteration in float64 over the non-zero values, the reference the kernel's basis is tested against.
 */
import type { DataMatrix } from '../../src-shared/model';
import { orthonormalize } from '../../src-main/engine/embed/eigen';

/**
 * m orthonormal directions (m × d, row-major) near the top principal axes of X, cheaply: block power iteration
 * on the centered rows A = X − 1μᵀ (Q ← orth(Q Aᵀ A)) from the first m centered rows, `iterations` times, over the
 * non-zero values of X only (Q Aᵀ = Q Xᵀ − (Qμ) 1ᵀ, W A = W X − (W 1) μᵀ). Not sorted, not converged: for a
 * projection that needs directions of large variance (the k-means++ bounds), not PCA's axes. 1 ≤ m ≤ min(n, d).
 */
export function roughAxes(X: DataMatrix, m: number, iterations = 4): Float64Array {
  const { n, d, data } = X;
  const mean = new Float64Array(d);
  let nnz = 0;
  for (let i = 0; i < n * d; i++) if (data[i] !== 0) nnz++;
  const at = new Int32Array(n + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0, e = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v === 0) continue;
      col[e] = j;
      val[e++] = v;
      mean[j] += v;
    }
    at[i + 1] = e;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  // Q transposed (d × m) while multiplying, so a non-zero value serves all m directions in one run of memory
  const Q = new Float64Array(m * d);
  for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) Q[k * d + j] = data[k * d + j] - mean[j];
  orthonormalize(Q, m, d);
  const Qt = new Float64Array(d * m);
  const W = new Float64Array(n * m); // W[i·m + k] = (Q Aᵀ)[k][i]
  const qm = new Float64Array(m);
  const w1 = new Float64Array(m);
  for (let it = 0; it < iterations; it++) {
    for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) Qt[j * m + k] = Q[k * d + j];
    qm.fill(0);
    for (let j = 0; j < d; j++) for (let k = 0; k < m; k++) qm[k] += Qt[j * m + k] * mean[j];
    W.fill(0);
    for (let i = 0; i < n; i++) {
      const w = i * m;
      for (let e = at[i]; e < at[i + 1]; e++) {
        const q = col[e] * m;
        const v = val[e];
        for (let k = 0; k < m; k++) W[w + k] += v * Qt[q + k];
      }
      for (let k = 0; k < m; k++) W[w + k] -= qm[k];
    }
    Qt.fill(0);
    w1.fill(0);
    for (let i = 0; i < n; i++) {
      const w = i * m;
      for (let k = 0; k < m; k++) w1[k] += W[w + k];
      for (let e = at[i]; e < at[i + 1]; e++) {
        const q = col[e] * m;
        const v = val[e];
        for (let k = 0; k < m; k++) Qt[q + k] += v * W[w + k];
      }
    }
    for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) Q[k * d + j] = Qt[j * m + k] - w1[k] * mean[j];
    orthonormalize(Q, m, d);
  }
  return Q;
}
