/**
 * Top eigenpairs of a symmetric matrix, deterministically (no random start): cyclic Jacobi for small
 * matrices, block subspace iteration with Rayleigh–Ritz for larger ones. Pure, float64.
 */

export interface EigenPairs {
  /** Eigenvalues, descending, length m. */
  values: Float64Array;
  /** Eigenvectors, m × d row-major (row k belongs to values[k]), unit length. */
  vectors: Float64Array;
}

/** Matrices up to this size are solved whole by Jacobi (O(d³) per sweep). */
const JACOBI_MAX_D = 64;
/** Up to this many wanted pairs, Lanczos (one product with C per step) instead of subspace iteration. */
const LANCZOS_MAX_M = 8;
/** Lanczos steps between convergence checks. */
const LANCZOS_CHECK = 5;

/**
 * All eigenpairs of the symmetric d × d matrix A (row-major; only read), by cyclic Jacobi rotations
 * until the off-diagonal mass is below 1e-30 of the total. Sorted by descending eigenvalue.
 */
export function jacobiEigen(A: Float64Array, d: number): EigenPairs {
  const a = Float64Array.from(A);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => a[y * d + y] - a[x * d + x] || x - y);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((col, k) => {
    values[k] = a[col * d + col];
    for (let i = 0; i < d; i++) vectors[k * d + i] = v[i * d + col];
  });
  return { values, vectors };
}

/**
 * The m largest eigenpairs of the symmetric positive semi-definite d × d matrix C (row-major).
 * Small d: Jacobi on the whole matrix. Larger d: subspace iteration on a block of p = min(d, m + 10)
 * vectors started from the unit vectors of the p largest diagonal entries, with Rayleigh–Ritz every step,
 * until every wanted residual ‖Cv − λv‖ is below 1e-10 · λ₁ (convergence rate λ_{p+1}/λ_m per step), or for at most
 * `maxIterations` steps. Up to 8 wanted pairs, checked Lanczos comes first (maxIterations does not bound it:
 * it stops by its own residual test within min(d, 400) steps).
 */
export function topEigen(C: Float64Array, d: number, m: number, maxIterations = 5000): EigenPairs {
  if (d <= JACOBI_MAX_D) {
    const all = jacobiEigen(C, d);
    return { values: all.values.slice(0, m), vectors: all.vectors.slice(0, m * d) };
  }
  if (m <= LANCZOS_MAX_M) {
    const l = lanczosChecked(C, d, m);
    if (l !== null) return l;
  }
  const p = Math.min(d, m + 10);
  const diag = Array.from({ length: d }, (_, i) => i).sort((x, y) => C[y * d + y] - C[x * d + x] || x - y);
  let Q = new Float64Array(p * d); // p vectors as rows
  for (let k = 0; k < p; k++) Q[k * d + diag[k]] = 1;
  const Z = new Float64Array(p * d);
  let values: Float64Array = new Float64Array(p);
  // Q C of the next step is the rotated C Z of this one (C symmetric): one product with C per step after the first
  let QC: Float64Array | null = null;
  for (let iter = 0; iter < maxIterations; iter++) {
    if (QC === null) multiplyRows(C, d, Q, p, Z); // Z = Q C (C symmetric)
    else Z.set(QC);
    orthonormalize(Z, p, d);
    // Rayleigh–Ritz: H = Z C Zᵀ, rotate Z by H's eigenvectors
    const CZ = new Float64Array(p * d);
    multiplyRows(C, d, Z, p, CZ);
    const H = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) H[a * p + b] = H[b * p + a] = dot(Z, a * d, CZ, b * d, d);
    const ritz = jacobiEigen(H, p);
    const next = new Float64Array(p * d);
    const Cnext = new Float64Array(p * d);
    for (let k = 0; k < p; k++) {
      for (let j = 0; j < p; j++) {
        const w = ritz.vectors[k * p + j];
        if (w === 0) continue;
        for (let i = 0; i < d; i++) {
          next[k * d + i] += w * Z[j * d + i];
          Cnext[k * d + i] += w * CZ[j * d + i];
        }
      }
    }
    Q = next;
    QC = Cnext;
    values = ritz.values;
    let worst = 0;
    for (let k = 0; k < m; k++) {
      let r = 0;
      for (let i = 0; i < d; i++) {
        const e = Cnext[k * d + i] - values[k] * Q[k * d + i];
        r += e * e;
      }
      worst = Math.max(worst, Math.sqrt(r));
    }
    if (worst <= 1e-10 * Math.max(values[0], Number.MIN_VALUE)) break;
  }
  return { values: values.slice(0, m), vectors: Q.slice(0, m * d) };
}

/**
 * out[k] = rows[k] · C for p row vectors of length d (C symmetric d × d). Row i of C is used for all p vectors
 * while it is in cache: one pass over C instead of p.
 */
function multiplyRows(C: Float64Array, d: number, rows: Float64Array, p: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const c = i * d;
    for (let k = 0; k < p; k++) {
      const o = k * d;
      const x = rows[o + i];
      if (x === 0) continue;
      for (let j = 0; j < d; j++) out[o + j] += x * C[c + j];
    }
  }
}

/** Modified Gram–Schmidt on p row vectors of length d (twice, for orthogonality to rounding). */
export function orthonormalize(V: Float64Array, p: number, d: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < p; k++) {
      for (let j = 0; j < k; j++) {
        const r = dot(V, k * d, V, j * d, d);
        for (let i = 0; i < d; i++) V[k * d + i] -= r * V[j * d + i];
      }
      const norm = Math.sqrt(dot(V, k * d, V, k * d, d));
      if (norm > 0) for (let i = 0; i < d; i++) V[k * d + i] /= norm;
    }
  }
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[ao + i] * b[bo + i];
  return s;
}

/**
 * Lanczos (below) and a check that nothing was missed: a single start vector cannot see a second copy of a
 * repeated eigenvalue (or an eigenvector it happens to be orthogonal to), so Lanczos runs again on C with the
 * found pairs deflated (C − Σ λ v vᵀ), from another start, to a looser tolerance (its eigenvalue only has to be
 * compared). If that finds an eigenvalue above the smallest found one, or a run does not converge, null: the
 * caller then uses subspace iteration (a block start, which sees repeated eigenvalues).
 */
function lanczosChecked(C: Float64Array, d: number, m: number): EigenPairs | null {
  const found = lanczosEigen(C, d, m, null, 0, 1e-10);
  if (found === null) return null;
  const extra = lanczosEigen(C, d, 1, found, 1, 1e-6);
  if (extra === null) return null;
  return extra.values[0] <= found.values[m - 1] + 1e-8 * found.values[0] ? found : null;
}

/**
 * The m largest eigenpairs of the symmetric d × d matrix C (minus Σ λ v vᵀ over the `deflate` pairs) by Lanczos
 * with full reorthogonalization (twice per step), from a fixed start vector chosen by `start` (deterministic).
 * Stops when every wanted Ritz pair has residual ‖Cv − λv‖ = β·|s_last| ≤ tol · λ₁ (1e-10: the criterion of the
 * subspace iteration). Null if not converged within min(d, 400) steps or when the Krylov space became invariant
 * before that (too small to trust).
 */
function lanczosEigen(C: Float64Array, d: number, m: number, deflate: EigenPairs | null, start: number, tol: number): EigenPairs | null {
  const maxSteps = Math.min(d, 400);
  const Q = new Float64Array((maxSteps + 1) * d);
  const alpha = new Float64Array(maxSteps);
  const beta = new Float64Array(maxSteps);
  // a fixed, irregular start (not orthogonal to any axis or to the constant vector)
  let norm = 0;
  for (let i = 0; i < d; i++) {
    const v = 1 + 0.5 * Math.sin(12.9898 * (i + 1) * (start + 1)) + 0.25 * Math.cos(78.233 * (i + 1) + start);
    Q[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < d; i++) Q[i] /= norm;
  const w = new Float64Array(d);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += Math.abs(C[i * d + i]);
  for (let k = 0; k < maxSteps; k++) {
    const q = k * d;
    w.fill(0);
    for (let i = 0; i < d; i++) {
      const x = Q[q + i];
      if (x === 0) continue;
      const c = i * d;
      for (let j = 0; j < d; j++) w[j] += x * C[c + j];
    }
    if (deflate !== null) {
      for (let l = 0; l < deflate.values.length; l++) {
        const h = deflate.values[l] * dot(deflate.vectors, l * d, Q, q, d);
        for (let i = 0; i < d; i++) w[i] -= h * deflate.vectors[l * d + i];
      }
    }
    alpha[k] = dot(Q, q, w, 0, d);
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r <= k; r++) {
        const h = dot(Q, r * d, w, 0, d);
        for (let i = 0; i < d; i++) w[i] -= h * Q[r * d + i];
      }
    }
    const b = Math.sqrt(dot(w, 0, w, 0, d));
    beta[k] = b;
    const steps = k + 1;
    // invariance and residuals relative to C's size (the found λ₁ when deflated)
    const scale = Math.max(deflate?.values[0] ?? 0, Math.abs(alpha[0]), trace * 1e-12, Number.MIN_VALUE);
    const invariant = b <= 1e-13 * scale;
    if (steps >= m && (invariant || steps % LANCZOS_CHECK === 0 || steps === maxSteps)) {
      const T = new Float64Array(steps * steps);
      for (let i = 0; i < steps; i++) {
        T[i * steps + i] = alpha[i];
        if (i + 1 < steps) T[i * steps + i + 1] = T[(i + 1) * steps + i] = beta[i];
      }
      const ritz = jacobiEigen(T, steps);
      let converged = true;
      for (let r = 0; r < m; r++) {
        if (b * Math.abs(ritz.vectors[r * steps + steps - 1]) > tol * Math.max(ritz.values[0], scale)) converged = false;
      }
      if (converged) {
        const vectors = new Float64Array(m * d);
        for (let r = 0; r < m; r++) {
          for (let j = 0; j < steps; j++) {
            const s = ritz.vectors[r * steps + j];
            for (let i = 0; i < d; i++) vectors[r * d + i] += s * Q[j * d + i];
          }
          const len = Math.sqrt(dot(vectors, r * d, vectors, r * d, d));
          for (let i = 0; i < d; i++) vectors[r * d + i] /= len;
        }
        return { values: ritz.values.slice(0, m), vectors };
      }
    }
    if (invariant) return null;
    for (let i = 0; i < d; i++) Q[(k + 1) * d + i] = w[i] / b;
  }
  return null;
}
