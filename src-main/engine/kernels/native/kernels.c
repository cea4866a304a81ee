// Native kernels (N-API, C11): AVX-512 VNNI and AVX2 versions of WASM kernels (../assembly) with the same contract and the
// same outputs, bit for bit. They run on the kernel threads' shared WebAssembly memory: bind() takes a Uint8Array
// over the whole memory, and every pointer argument is a byte offset into it, exactly as for the WASM exports, so
// native.ts can put a native function in the place of a WASM export and nothing else changes.
//
// Why the outputs are the same bits:
// - integer dot products are exact on both sides (the same int32 lane bounds as the WASM kernels, stated there);
// - every float64 value is computed with the same operations in the same order (the build sets -ffp-contract=off,
//   so no fused multiply-adds, and nothing here reassociates);
// - the labels follow from bounds that hold for any exact screening, and ties go to the lowest index as there.
// Preconditions are those of the WASM kernels, which the callers check when the data is staged; in addition every
// call checks that what it reads and writes lies inside the bound memory (a bad offset throws a RangeError
// instead of crashing the process).
//
// features() says what this CPU runs: "avx512vnni" (all the kernels below), "avx2" (assignSparseQ, quantizeCenters,
// rowStageU8 and kppTrialsU8; silI16 stays WASM), or "" (the WASM kernels stay in use).
// On compilers or CPUs without these instructions the module still builds and loads, and features() is "".
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_X86 1
#include <immintrin.h>
#else
#define HAVE_X86 0
#endif

/** Per thread (N-API instance data): the bound memory, and scratch that grows as needed (freed with the thread). */
typedef struct {
  uint8_t *base;
  size_t len;
  void *scratch;
  size_t scratchBytes;
} State;

static void finalizeState(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  State *s = (State *)data;
  free(s->scratch);
  free(s);
}

/** At least `bytes` of this thread's scratch, 64-byte aligned (NULL when out of memory). */
static void *scratchOf(State *s, size_t bytes) {
  if (s->scratchBytes < bytes) {
    free(s->scratch);
    s->scratchBytes = 0;
    s->scratch = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (s->scratch == NULL) return NULL;
    s->scratchBytes = bytes;
  }
  return s->scratch;
}

static State *state(napi_env env) {
  void *d = NULL;
  napi_get_instance_data(env, &d);
  return (State *)d;
}

/** Reads n numbers and up to `optional` more (0 where not given); throws (and returns 0) on a missing or bad one. */
static int numbersOpt(napi_env env, napi_callback_info info, size_t n, size_t optional, double *out) {
  napi_value argv[32];
  size_t argc = 32;
  if (n + optional > 32 || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < n) {
    napi_throw_type_error(env, NULL, "native kernel: too few arguments");
    return 0;
  }
  for (size_t i = 0; i < n + optional; i++) {
    out[i] = 0;
    if (i >= argc) continue;
    napi_valuetype t;
    if (i >= n && napi_typeof(env, argv[i], &t) == napi_ok && t == napi_undefined) continue;
    if (napi_get_value_double(env, argv[i], &out[i]) != napi_ok || !(out[i] >= 0 || out[i] < 0)) {
      napi_throw_type_error(env, NULL, "native kernel: arguments must be numbers");
      return 0;
    }
  }
  return 1;
}

static int numbers(napi_env env, napi_callback_info info, size_t n, double *out) {
  return numbersOpt(env, info, n, 0, out);
}

/** True when [off, off + bytes) lies inside the bound memory (off and bytes non-negative integers). */
static int inside(const State *s, double off, double bytes) {
  return off >= 0 && bytes >= 0 && off + bytes <= (double)s->len;
}

static napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

static napi_value outOfRange(napi_env env, const char *what) {
  napi_throw_range_error(env, NULL, what);
  return NULL;
}

/**
 * bind(view: Uint8Array from byte 0 of the shared memory, bytes?: number): the memory the offsets of later calls point
 * into, of max(view.length, bytes) bytes. `bytes` is the size the thread that grew the memory saw: another thread's
 * view can be older (a shared memory grows in place, so the base stays and the pages are there).
 */
static napi_value Bind(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_uint8_array || offset != 0) {
    napi_throw_type_error(env, NULL, "bind: expected a Uint8Array over the whole memory");
    return NULL;
  }
  double bytes = 0;
  if (argc >= 2 && napi_get_value_double(env, argv[1], &bytes) != napi_ok) bytes = 0;
  State *s = state(env);
  s->base = (uint8_t *)data;
  s->len = bytes > (double)length && bytes <= 4294967296.0 ? (size_t)bytes : length;
  return undefinedValue(env);
}

#if HAVE_X86
static int cpuHasVnni512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}
static int cpuHasAvx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#else
static int cpuHasVnni512(void) { return 0; }
static int cpuHasAvx2(void) { return 0; }
#endif

static napi_value Features(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  const char *f = cpuHasVnni512() ? "avx512vnni" : cpuHasAvx2() ? "avx2" : "";
  napi_create_string_utf8(env, f, NAPI_AUTO_LENGTH, &r);
  return r;
}

/** dot64u8 of assembly/lloyd-common.ts: the same products, the same order, the same bits. */
static double dot64u8(const uint8_t *src, const double *c, const uint64_t *m) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int w = 0; w < 4; w++) {
    uint64_t bits = m[w];
    const size_t base = (size_t)w << 6;
    while (bits != 0) {
      const size_t q = base + (size_t)__builtin_ctzll(bits);
      bits &= bits - 1;
      const uint8_t *p = src + (q << 2);
      const double *cp = c + (q << 2);
      s0 = s0 + (double)p[0] * cp[0];
      s1 = s1 + (double)p[1] * cp[1];
      s2 = s2 + (double)p[2] * cp[2];
      s3 = s3 + (double)p[3] * cp[3];
    }
  }
  return (s0 + s2) + (s1 + s3);
}

/** Rows a block of assignSparseQ (as Q_ROWS in assembly/lloyd-sparse.ts). */
#define Q_ROWS 16


#if HAVE_X86
#define VNNI512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define AVX2T __attribute__((target("avx2")))



/** Bytes of the interleaved int16 centers: k rounded up to 16, chunks of 8 values, 16 bytes each. */
static size_t interleavedBytes(int d, int k) {
  return (size_t)((k + 15) & ~15) * (size_t)((d + 7) >> 3) * 16;
}

/**
 * The int16 centers (kp rows of dp16 values at qc) four to a 64-byte chunk for assignSparseQ: chunk e of centers
 * 4g … 4g + 3 at qi + (g · chunks + e) · 32 int16, centers from k on zero. (SSE2 only: it runs on both CPU levels.)
 */
AVX2T static void interleaveQ(const uint8_t *qc, int k, int d, int dp16, int16_t *qi) {
  const size_t rs16 = (size_t)dp16 << 1;
  const size_t chunks = (size_t)((d + 7) >> 3);
  const int kp16 = (k + 15) & ~15;
  for (int g = 0; g < kp16 / 4; g++) {
    for (size_t e = 0; e < chunks; e++) {
      int16_t *o = qi + ((size_t)g * chunks + e) * 32;
      for (int t = 0; t < 4; t++) {
        const int c = 4 * g + t;
        const __m128i v = c < k ? _mm_loadu_si128((const __m128i *)(qc + (size_t)c * rs16 + (e << 4))) : _mm_setzero_si128();
        _mm_storeu_si128((__m128i *)(o + t * 8), v);
      }
    }
  }
}

/** Starts loading what assignSparseQ reads of a row: its pixels (every cache line), chunk masks, ‖x‖² and ‖x‖₁. */
static inline void prefetchRow(const uint8_t *M, int row, size_t x, int d, size_t masks, size_t xn, size_t l1) {
  const uint8_t *p = M + x + (size_t)row * (size_t)d;
  const uintptr_t first = (uintptr_t)p & ~(uintptr_t)63, last = ((uintptr_t)p + (size_t)d - 1) & ~(uintptr_t)63;
  for (uintptr_t a = first; a <= last; a += 64) _mm_prefetch((const char *)a, _MM_HINT_T0);
  _mm_prefetch((const char *)(M + masks + ((size_t)row << 5)), _MM_HINT_T0);
  _mm_prefetch((const char *)(M + xn + ((size_t)row << 3)), _MM_HINT_T0);
  _mm_prefetch((const char *)(M + l1 + ((size_t)row << 3)), _MM_HINT_T0);
}

/** This thread's scratch for assignSparseQ (both CPU levels): decoded rows, row starts, dots, lower and upper bounds. */
static size_t assignQScratch(int d, int k) {
  const size_t kp16 = (size_t)((k + 15) & ~15);
  const size_t chunks = (size_t)((d + 7) >> 3);
  return Q_ROWS * chunks * 20 + (Q_ROWS + 1) * 4 + Q_ROWS * kp16 * 8 + 2 * kp16 * 8 + 256;
}

/** assignSparseQ's arguments (the WASM export's a[0 … 19], plus the interleaved centers a[20]) and its scratch. */
typedef struct {
  size_t x, qe, l1, c64, cn64, xn, labels, dist, sums, counts, rows, masks, qi;
  int d, i0, i1, k, kp16, noTotal;
  size_t chunks, rs;
  uint32_t *offs; /* per decoded chunk: its index in the row */
  int16_t *pix;   /* per decoded chunk: its 8 pixels, widened */
  int32_t *starts;
  double *dots, *lows, *ubs;
} QJob;

static QJob qJob(const double *a, uint8_t *T) {
  QJob q;
  q.x = (size_t)a[0];
  q.d = (int)a[1];
  q.i0 = (int)a[2];
  q.i1 = (int)a[3];
  // (the int16 centers a[4] and their row length a[5] are read through their layout a[20])
  q.qe = (size_t)a[6];
  q.l1 = (size_t)a[7];
  q.c64 = (size_t)a[8];
  q.cn64 = (size_t)a[9];
  q.k = (int)a[10];
  q.xn = (size_t)a[11];
  q.labels = (size_t)a[12];
  q.dist = (size_t)a[13];
  q.sums = (size_t)a[14];
  q.counts = (size_t)a[15];
  q.rows = (size_t)a[17];
  q.masks = (size_t)a[18];
  q.noTotal = (int)a[19];
  q.qi = (size_t)a[20];
  q.kp16 = (q.k + 15) & ~15;
  q.chunks = (size_t)((q.d + 7) >> 3);
  q.rs = ((size_t)((q.d + 3) >> 2)) << 4;
  // scratch: per-entry chunk index | per-entry pixels | row starts | dots | lows | ubs
  q.offs = (uint32_t *)T;
  q.pix = (int16_t *)((uint8_t *)q.offs + ((Q_ROWS * q.chunks * 4 + 63) & ~(size_t)63));
  q.starts = (int32_t *)((uint8_t *)q.pix + Q_ROWS * q.chunks * 16);
  q.dots = (double *)(((uintptr_t)(q.starts + Q_ROWS + 1) + 63) & ~(uintptr_t)63);
  q.lows = q.dots + (size_t)Q_ROWS * (size_t)q.kp16;
  q.ubs = q.lows + q.kp16;
  return q;
}

/**
 * Block b0 of assignSparseQ's rows (Q_ROWS of them, fewer at the end): the rows two blocks on start loading (at the
 * start, the first two blocks too), and each row's 8-pixel chunks that hold a non-zero 4-pixel chunk are widened
 * (decodeRow8 of the WASM kernel) into q->offs and q->pix, row r's from q->starts[r]. Returns the block's row count.
 */
AVX2T static int decodeBlock(uint8_t *M, const QJob *q, int b0, int *rowOf) {
  const int b1 = b0 + Q_ROWS < q->i1 ? b0 + Q_ROWS : q->i1;
  const int nb = b1 - b0;
  const int32_t *rows = q->rows != 0 ? (const int32_t *)(M + q->rows) : NULL;
  if (rows != NULL) {
    const int p0 = b0 == q->i0 ? b0 : b0 + 2 * Q_ROWS;
    const int p1 = b0 + 3 * Q_ROWS < q->i1 ? b0 + 3 * Q_ROWS : q->i1;
    for (int i = p0; i < p1; i++) prefetchRow(M, rows[i], q->x, q->d, q->masks, q->xn, q->l1);
  }
  int ne = 0;
  for (int r = 0; r < nb; r++) {
    const int row = rows != NULL ? rows[b0 + r] : b0 + r;
    rowOf[r] = row;
    q->starts[r] = ne;
    const uint64_t *mk = (const uint64_t *)(M + q->masks + ((size_t)row << 5));
    const uint8_t *src = M + q->x + (size_t)row * (size_t)q->d;
    for (int w = 0; w < 4; w++) {
      uint64_t bits8 = (mk[w] | (mk[w] >> 1)) & 0x5555555555555555ULL;
      while (bits8 != 0) {
        const size_t e = ((size_t)w << 5) + (size_t)(__builtin_ctzll(bits8) >> 1);
        bits8 &= bits8 - 1;
        q->offs[ne] = (uint32_t)e;
        // a chunk reaching past d reads bytes after the row: the int16 centers are zero there
        _mm_storeu_si128((__m128i *)(q->pix + (size_t)ne * 8), _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(src + (e << 3)))));
        ne++;
      }
    }
  }
  q->starts[nb] = ne;
  return nb;
}

/**
 * Row i (data row `row`) of assignSparseQ once its bounds are known (q->lows, q->ubs over the k centers, ub their
 * smallest upper bound), with the WASM kernel's operations in its order: the label (the first center of upper bound
 * ub, or, when other centers' lower bounds do not exceed ub, the float64 formula's choice among them), the distance
 * where asked for, the row into its center's int32 sums. Returns the row's term of the total.
 */
AVX2T static double finishRow(uint8_t *M, const QJob *q, int i, int row) {
  const int k = q->k;
  const double *lows = q->lows, *ubs = q->ubs;
  const double *cn = (const double *)(M + q->cn64);
  const uint8_t *src = M + q->x + (size_t)row * (size_t)q->d;
  const uint64_t *mk = (const uint64_t *)(M + q->masks + ((size_t)row << 5));
  const double xnv = ((const double *)(M + q->xn))[row];
  // ub: the smallest upper bound, best: the first center with it (as the scalar search `if (ubs[e] < ub)` from +∞
  // finds: a NaN never wins, and with ub = +∞ it stays center 0); others: the other centers with lows[e] ≤ ub
  double ub = INFINITY;
  int best = 0;
  int e = 0;
  __m256d vm = _mm256_set1_pd(INFINITY);
  for (; e + 4 <= k; e += 4) vm = _mm256_min_pd(_mm256_loadu_pd(ubs + e), vm); // (a NaN load keeps vm)
  {
    const __m128d m2 = _mm_min_pd(_mm256_castpd256_pd128(vm), _mm256_extractf128_pd(vm, 1));
    const double a0 = _mm_cvtsd_f64(m2), a1 = _mm_cvtsd_f64(_mm_unpackhi_pd(m2, m2));
    ub = a1 < a0 ? a1 : a0;
  }
  for (; e < k; e++) if (ubs[e] < ub) ub = ubs[e];
  if (ub < INFINITY) {
    const __m256d vu = _mm256_set1_pd(ub);
    for (e = 0; e + 4 <= k; e += 4) {
      const int m = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(ubs + e), vu, _CMP_EQ_OQ));
      if (m != 0) break;
    }
    for (;; e++) if (ubs[e] == ub) break;
    best = e;
  }
  int others = 0;
  {
    const __m256d vu = _mm256_set1_pd(ub);
    for (e = 0; e + 4 <= k; e += 4) others += __builtin_popcount((unsigned)_mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(lows + e), vu, _CMP_LE_OQ)));
    for (; e < k; e++) others += lows[e] <= ub;
    others -= lows[best] <= ub;
  }
  double s;
  if (others != 0) {
    double bd = INFINITY;
    for (int e = 0; e < k; e++) {
      if (lows[e] > ub) continue;
      const double v = cn[e] - 2 * dot64u8(src, (const double *)(M + q->c64) + (size_t)e * (size_t)q->d, mk);
      if (v < bd) {
        bd = v;
        best = e;
      }
    }
    s = xnv + bd;
  } else if (q->noTotal != 0 && q->dist == 0) {
    s = 0;
  } else {
    s = xnv + (cn[best] - 2 * dot64u8(src, (const double *)(M + q->c64) + (size_t)best * (size_t)q->d, mk));
  }
  if (s < 0) s = 0;
  ((int32_t *)(M + q->labels))[i] = best;
  if (q->dist != 0) ((double *)(M + q->dist))[i] = s;
  if (q->sums != 0) {
    // the row's non-zero 4-pixel chunks into its center's int32 sums
    int32_t *sb = (int32_t *)(M + q->sums + (size_t)best * q->rs);
    for (int w = 0; w < 4; w++) {
      uint64_t bits = mk[w];
      const size_t base = (size_t)w << 6;
      while (bits != 0) {
        const size_t p = base + (size_t)__builtin_ctzll(bits);
        bits &= bits - 1;
        int32_t *t = sb + (p << 2);
        int32_t px;
        memcpy(&px, src + (p << 2), 4);
        _mm_storeu_si128((__m128i *)t, _mm_add_epi32(_mm_loadu_si128((const __m128i *)t), _mm_cvtepu8_epi32(_mm_cvtsi32_si128(px))));
      }
    }
    ((int32_t *)(M + q->counts))[best] += 1;
  }
  return s;
}

/**
 * Row r's bounds from its dots, the centers' ‖c‖² and errors: Q_c = ‖c‖² − dot_c, e_c = ‖x‖₁ · qe_c + 10⁻¹²(‖x‖² + ‖c‖²),
 * lows = Q − e and ubs = Q + e, four centers at a time with the WASM kernel's operations (each value the same bits).
 */
AVX2T static void boundsRow(uint8_t *M, const QJob *q, const double *dr, int row) {
  const int k = q->k;
  const double *cn = (const double *)(M + q->cn64);
  const double *qev = (const double *)(M + q->qe);
  const double xnv = ((const double *)(M + q->xn))[row];
  const double l1v = ((const double *)(M + q->l1))[row];
  const __m256d vl1 = _mm256_set1_pd(l1v), vxn = _mm256_set1_pd(xnv), eps = _mm256_set1_pd(1e-12);
  int e = 0;
  for (; e + 4 <= k; e += 4) {
    const __m256d cnv = _mm256_loadu_pd(cn + e);
    const __m256d qv = _mm256_sub_pd(cnv, _mm256_loadu_pd(dr + e));
    const __m256d err = _mm256_add_pd(_mm256_mul_pd(vl1, _mm256_loadu_pd(qev + e)), _mm256_mul_pd(eps, _mm256_add_pd(vxn, cnv)));
    _mm256_storeu_pd(q->lows + e, _mm256_sub_pd(qv, err));
    _mm256_storeu_pd(q->ubs + e, _mm256_add_pd(qv, err));
  }
  for (; e < k; e++) {
    const double qv = cn[e] - dr[e];
    const double err = l1v * qev[e] + 1e-12 * (xnv + cn[e]);
    q->lows[e] = qv - err;
    q->ubs[e] = qv + err;
  }
}

/** Each center's four int32 lanes of a (centers 4g … 4g + 3, one 128-bit quarter each) added exactly, as float64. */
VNNI512 static inline __m512d quarterPairs(__m256i half) {
  const __m512d v = _mm512_cvtepi32_pd(half);
  const __m512d t = _mm512_add_pd(v, _mm512_permutex_pd(v, 0x4E));
  return _mm512_add_pd(t, _mm512_permute_pd(t, 0x55)); // lane 0: first center's sum, lane 4: the second's
}

/** The 16 centers' dot products of accumulators a0 … a3 (four centers each), exact, × 1/64 into out[0 … 15]. */
VNNI512 static inline void sums16(__m512i a0, __m512i a1, __m512i a2, __m512i a3, double *out) {
  const __m512i idx = _mm512_set_epi64(12, 8, 4, 0, 12, 8, 4, 0);
  const __m512d s = _mm512_set1_pd(0.015625);
  const __m512d r0 = _mm512_permutex2var_pd(quarterPairs(_mm512_castsi512_si256(a0)), idx, quarterPairs(_mm512_extracti64x4_epi64(a0, 1)));
  const __m512d r1 = _mm512_permutex2var_pd(quarterPairs(_mm512_castsi512_si256(a1)), idx, quarterPairs(_mm512_extracti64x4_epi64(a1, 1)));
  const __m512d r2 = _mm512_permutex2var_pd(quarterPairs(_mm512_castsi512_si256(a2)), idx, quarterPairs(_mm512_extracti64x4_epi64(a2, 1)));
  const __m512d r3 = _mm512_permutex2var_pd(quarterPairs(_mm512_castsi512_si256(a3)), idx, quarterPairs(_mm512_extracti64x4_epi64(a3, 1)));
  _mm512_storeu_pd(out, _mm512_mul_pd(_mm512_mask_blend_pd(0xF0, r0, r1), s));
  _mm512_storeu_pd(out + 8, _mm512_mul_pd(_mm512_mask_blend_pd(0xF0, r2, r3), s));
}

/**
 * assignSparseQ of assembly/lloyd-sparse.ts (its contract, its outputs), with the screening x·q_c on VNNI:
 * the int16 centers are first laid out four at a time, chunk by chunk (64 bytes: chunk e of centers 4g … 4g + 3),
 * and each non-zero 8-pixel chunk of a row, broadcast, meets four centers in one vpdpwssd. Rows go in blocks of
 * Q_ROWS against 16 centers at a time (their 16 · d int16 stay in the L1 cache), as in the WASM kernel. Each int32
 * lane sums at most d/8 products of 2 pixels and 2 quantized values, the WASM kernel's lane bound; the four lanes of
 * a center are added in float64 (exact), so the estimates, and all that follows from them, are the WASM kernel's.
 */
VNNI512 static double assignQ512(uint8_t *M, const double *a, uint8_t *T) {
  const QJob job = qJob(a, T);
  const QJob *q = &job;
  const int kp16 = q->kp16;
  const int32_t *starts = q->starts;
  const uint32_t *offs = q->offs;
  const int16_t *pix = q->pix;
  double *dots = q->dots;
  // the centers four to a chunk, as the native quantizeCenters laid them out (see interleaveQ)
  const int16_t *qi = (const int16_t *)(M + q->qi);
  int rowOf[Q_ROWS];
  double total = 0;
  for (int b0 = q->i0; b0 < q->i1; b0 += Q_ROWS) {
    const int nb = decodeBlock(M, q, b0, rowOf);
    const size_t gs = q->chunks * 32; // int16 between two groups of 4 centers
    int c0 = 0;
    // 32 centers at a time: eight independent accumulators, one broadcast of each row chunk for all of them
    for (; c0 + 32 <= kp16; c0 += 32) {
      const int16_t *q0 = qi + (size_t)(c0 / 4) * gs;
      for (int r = 0; r < nb; r++) {
        __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512(), a2 = _mm512_setzero_si512(), a3 = _mm512_setzero_si512();
        __m512i a4 = _mm512_setzero_si512(), a5 = _mm512_setzero_si512(), a6 = _mm512_setzero_si512(), a7 = _mm512_setzero_si512();
        for (int e = starts[r]; e < starts[r + 1]; e++) {
          const __m512i u = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(pix + (size_t)e * 8)));
          const int16_t *qq = q0 + (size_t)offs[e] * 32;
          a0 = _mm512_dpwssd_epi32(a0, u, _mm512_loadu_si512((const void *)qq));
          a1 = _mm512_dpwssd_epi32(a1, u, _mm512_loadu_si512((const void *)(qq + gs)));
          a2 = _mm512_dpwssd_epi32(a2, u, _mm512_loadu_si512((const void *)(qq + 2 * gs)));
          a3 = _mm512_dpwssd_epi32(a3, u, _mm512_loadu_si512((const void *)(qq + 3 * gs)));
          a4 = _mm512_dpwssd_epi32(a4, u, _mm512_loadu_si512((const void *)(qq + 4 * gs)));
          a5 = _mm512_dpwssd_epi32(a5, u, _mm512_loadu_si512((const void *)(qq + 5 * gs)));
          a6 = _mm512_dpwssd_epi32(a6, u, _mm512_loadu_si512((const void *)(qq + 6 * gs)));
          a7 = _mm512_dpwssd_epi32(a7, u, _mm512_loadu_si512((const void *)(qq + 7 * gs)));
        }
        double *o = dots + (size_t)r * kp16 + c0;
        sums16(a0, a1, a2, a3, o);
        sums16(a4, a5, a6, a7, o + 16);
      }
    }
    // the last 16: the row's chunks split between two sets of accumulators, so that each waits on half of them
    for (; c0 < kp16; c0 += 16) {
      const int16_t *q0 = qi + (size_t)(c0 / 4) * gs;
      for (int r = 0; r < nb; r++) {
        __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512(), a2 = _mm512_setzero_si512(), a3 = _mm512_setzero_si512();
        __m512i b0v = _mm512_setzero_si512(), b1v = _mm512_setzero_si512(), b2v = _mm512_setzero_si512(), b3v = _mm512_setzero_si512();
        int e = starts[r];
        const int e1 = starts[r + 1];
        for (; e + 1 < e1; e += 2) {
          const __m512i u = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(pix + (size_t)e * 8)));
          const __m512i w = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(pix + (size_t)(e + 1) * 8)));
          const int16_t *qq = q0 + (size_t)offs[e] * 32;
          const int16_t *qw = q0 + (size_t)offs[e + 1] * 32;
          a0 = _mm512_dpwssd_epi32(a0, u, _mm512_loadu_si512((const void *)qq));
          a1 = _mm512_dpwssd_epi32(a1, u, _mm512_loadu_si512((const void *)(qq + gs)));
          a2 = _mm512_dpwssd_epi32(a2, u, _mm512_loadu_si512((const void *)(qq + 2 * gs)));
          a3 = _mm512_dpwssd_epi32(a3, u, _mm512_loadu_si512((const void *)(qq + 3 * gs)));
          b0v = _mm512_dpwssd_epi32(b0v, w, _mm512_loadu_si512((const void *)qw));
          b1v = _mm512_dpwssd_epi32(b1v, w, _mm512_loadu_si512((const void *)(qw + gs)));
          b2v = _mm512_dpwssd_epi32(b2v, w, _mm512_loadu_si512((const void *)(qw + 2 * gs)));
          b3v = _mm512_dpwssd_epi32(b3v, w, _mm512_loadu_si512((const void *)(qw + 3 * gs)));
        }
        if (e < e1) {
          const __m512i u = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(pix + (size_t)e * 8)));
          const int16_t *qq = q0 + (size_t)offs[e] * 32;
          a0 = _mm512_dpwssd_epi32(a0, u, _mm512_loadu_si512((const void *)qq));
          a1 = _mm512_dpwssd_epi32(a1, u, _mm512_loadu_si512((const void *)(qq + gs)));
          a2 = _mm512_dpwssd_epi32(a2, u, _mm512_loadu_si512((const void *)(qq + 2 * gs)));
          a3 = _mm512_dpwssd_epi32(a3, u, _mm512_loadu_si512((const void *)(qq + 3 * gs)));
        }
        // each lane of a + b sums at most the chunks of one row: the same bound as one accumulator
        sums16(_mm512_add_epi32(a0, b0v), _mm512_add_epi32(a1, b1v), _mm512_add_epi32(a2, b2v), _mm512_add_epi32(a3, b3v),
               dots + (size_t)r * kp16 + c0);
      }
    }
    for (int r = 0; r < nb; r++) {
      boundsRow(M, q, dots + (size_t)r * kp16, rowOf[r]);
      total += finishRow(M, q, b0 + r, rowOf[r]);
    }
  }
  return total;
}

/** Two centers' dot products from accumulator a (lanes 0–3: the first, 4–7: the second), exact, × 1/64 into out[0, 1]. */
AVX2T static inline void pairSums(__m256i a, double *out) {
  const __m256d lo = _mm256_cvtepi32_pd(_mm256_castsi256_si128(a));
  const __m256d hi = _mm256_cvtepi32_pd(_mm256_extracti128_si256(a, 1));
  const __m256d h = _mm256_hadd_pd(lo, hi); // [lo0 + lo1, hi0 + hi1, lo2 + lo3, hi2 + hi3], each exact
  _mm_storeu_pd(out, _mm_mul_pd(_mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1)), _mm_set1_pd(0.015625)));
}

/**
 * G groups of four centers (G ≤ 4) against row r's decoded chunks e0 … e1 − 1: each chunk, broadcast to both halves,
 * meets two centers in one vpmaddwd (the lanes of the WASM kernel's i32x4.dot_i16x8_s, the same int32 values), and
 * the dots go to out[0 … 4G).
 */
AVX2T static inline __attribute__((always_inline)) void groupDots256(const int16_t *pix, const uint32_t *offs, int e0, int e1,
                                                                      const int16_t *q0, size_t gs, int G, double *out) {
  __m256i acc[8];
  for (int t = 0; t < 2 * G; t++) acc[t] = _mm256_setzero_si256();
  for (int e = e0; e < e1; e++) {
    const __m256i u = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(pix + (size_t)e * 8)));
    const int16_t *qq = q0 + (size_t)offs[e] * 32;
    for (int g = 0; g < G; g++) {
      acc[2 * g] = _mm256_add_epi32(acc[2 * g], _mm256_madd_epi16(u, _mm256_loadu_si256((const __m256i *)(qq + g * gs))));
      acc[2 * g + 1] = _mm256_add_epi32(acc[2 * g + 1], _mm256_madd_epi16(u, _mm256_loadu_si256((const __m256i *)(qq + g * gs + 16))));
    }
  }
  for (int t = 0; t < 2 * G; t++) pairSums(acc[t], out + 2 * t);
}

/**
 * assignSparseQ on AVX2 (its contract and outputs, as assignQ512): the same interleaved centers, a row's chunks
 * against sixteen centers at a time in eight 256-bit accumulators, then eight and four; the same bounds and
 * settling (boundsRow, finishRow).
 */
AVX2T static double assignQ256(uint8_t *M, const double *a, uint8_t *T) {
  const QJob job = qJob(a, T);
  const QJob *q = &job;
  const int kp16 = q->kp16;
  const int groups = (q->k + 3) >> 2;
  const int16_t *qi = (const int16_t *)(M + q->qi);
  int rowOf[Q_ROWS];
  double total = 0;
  for (int b0 = q->i0; b0 < q->i1; b0 += Q_ROWS) {
    const int nb = decodeBlock(M, q, b0, rowOf);
    const size_t gs = q->chunks * 32;
    int g0 = 0;
    for (; g0 + 4 <= groups; g0 += 4) {
      for (int r = 0; r < nb; r++) groupDots256(q->pix, q->offs, q->starts[r], q->starts[r + 1], qi + (size_t)g0 * gs, gs, 4, q->dots + (size_t)r * kp16 + 4 * g0);
    }
    if (g0 + 2 <= groups) {
      for (int r = 0; r < nb; r++) groupDots256(q->pix, q->offs, q->starts[r], q->starts[r + 1], qi + (size_t)g0 * gs, gs, 2, q->dots + (size_t)r * kp16 + 4 * g0);
      g0 += 2;
    }
    if (g0 < groups) {
      for (int r = 0; r < nb; r++) groupDots256(q->pix, q->offs, q->starts[r], q->starts[r + 1], qi + (size_t)g0 * gs, gs, 1, q->dots + (size_t)r * kp16 + 4 * g0);
    }
    for (int r = 0; r < nb; r++) {
      boundsRow(M, q, q->dots + (size_t)r * kp16, rowOf[r]);
      total += finishRow(M, q, b0 + r, rowOf[r]);
    }
  }
  return total;
}

/** [Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d] (int32, exact below 2³¹). */
VNNI512 static inline __m128i hsum4x(__m512i a, __m512i b, __m512i c, __m512i d) {
  const __m512i ab = _mm512_add_epi32(_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b));
  const __m512i cd = _mm512_add_epi32(_mm512_unpacklo_epi32(c, d), _mm512_unpackhi_epi32(c, d));
  const __m512i v = _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd));
  const __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
  return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

/** [Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d] of 256-bit int32 vectors (exact below 2³¹). */
VNNI512 static inline __m128i hsum4y(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m128i a1 = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
  const __m128i b1 = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
  const __m128i c1 = _mm_add_epi32(_mm256_castsi256_si128(c), _mm256_extracti128_si256(c, 1));
  const __m128i d1 = _mm_add_epi32(_mm256_castsi256_si128(d), _mm256_extracti128_si256(d, 1));
  return _mm_hadd_epi32(_mm_hadd_epi32(a1, b1), _mm_hadd_epi32(c1, d1));
}

/** x·y of two int16 rows of dp values (dp a multiple of 8), exact in int32 (the silhouette's precondition). */
VNNI512 static inline int32_t dotRowI16(const int16_t *a, const int16_t *b, int dp) {
  __m512i acc = _mm512_setzero_si512();
  int o = 0;
  for (; o + 32 <= dp; o += 32) acc = _mm512_dpwssd_epi32(acc, _mm512_loadu_si512((const void *)(a + o)), _mm512_loadu_si512((const void *)(b + o)));
  if (o < dp) {
    const __mmask32 m = (__mmask32)((1ull << (dp - o)) - 1);
    acc = _mm512_dpwssd_epi32(acc, _mm512_maskz_loadu_epi16(m, a + o), _mm512_maskz_loadu_epi16(m, b + o));
  }
  return _mm512_reduce_add_epi32(acc);
}

/**
 * silI16 of assembly/silhouette.ts (its contract, its outputs bit for bit). The exact squared distances of the block
 * pair come first, as int32 (‖a‖² + ‖b‖² − 2a·b, the WASM kernel's formula), from 4 × 4 tiles of vpdpwssd: with
 * chunk masks 8 values at a time, skipping the chunks that are zero in all four rows or all four columns (coarser
 * chunks skip much less on MNIST), without them 32 at a time; then their square roots are added up in float64 in the WASM kernel's order: rows in pairs, columns
 * in fours ((d₀ + d₂) + (d₁ + d₃) into the row's sum, each column's sum row after row), the tails one at a time.
 */
VNNI512 static void silI16Native(uint8_t *M, const double *a, int32_t *D) {
  const size_t x = (size_t)a[0];
  const int dp = (int)a[1];
  const size_t normsOff = (size_t)a[2], masksOff = (size_t)a[3], sumsOff = (size_t)a[4];
  const int k = (int)a[5];
  const size_t colOff = (size_t)a[6];
  const int i0 = (int)a[7], i1 = (int)a[8], cI = (int)a[9], j0 = (int)a[10], j1 = (int)a[11], cJ = (int)a[12];
  const int diag = (int)a[13];
  const int nr = i1 - i0, nc = j1 - j0;
  const int16_t *X = (const int16_t *)(M + x);
  const int32_t *norms = (const int32_t *)(M + normsOff);
  const uint64_t *masks = masksOff != 0 ? (const uint64_t *)(M + masksOff) : NULL;
  double *sums = (double *)(M + sumsOff);
  double *col = (double *)(M + colOff);
  // the int32 squared distances, D[r · nc + c] for rows i0 + r, columns j0 + c
  int r = 0;
  for (; r + 3 < nr; r += 4) {
    const int16_t *pa = X + (size_t)(i0 + r) * (size_t)dp;
    int c = 0;
    if (masks != NULL) {
      // with chunk masks: 16 values (two of the masks' chunks) at a time, only where one of the four rows and one
      // of the four columns is non-zero
      const uint64_t *mp = masks + (size_t)(i0 + r) * 2;
      const uint64_t r0m = mp[0] | mp[2] | mp[4] | mp[6], r1m = mp[1] | mp[3] | mp[5] | mp[7];
      for (; c + 3 < nc; c += 4) {
        const int16_t *pb = X + (size_t)(j0 + c) * (size_t)dp;
        const uint64_t *mq = masks + (size_t)(j0 + c) * 2;
        __m256i a00 = _mm256_setzero_si256(), a01 = _mm256_setzero_si256(), a02 = _mm256_setzero_si256(), a03 = _mm256_setzero_si256();
        __m256i a10 = _mm256_setzero_si256(), a11 = _mm256_setzero_si256(), a12 = _mm256_setzero_si256(), a13 = _mm256_setzero_si256();
        __m256i a20 = _mm256_setzero_si256(), a21 = _mm256_setzero_si256(), a22 = _mm256_setzero_si256(), a23 = _mm256_setzero_si256();
        __m256i a30 = _mm256_setzero_si256(), a31 = _mm256_setzero_si256(), a32 = _mm256_setzero_si256(), a33 = _mm256_setzero_si256();
        for (int w = 0; w < 2; w++) {
          uint64_t m = (mq[w] | mq[2 + w] | mq[4 + w] | mq[6 + w]) & (w == 0 ? r0m : r1m);
          m = (m | (m >> 1)) & 0x5555555555555555ULL; // 16 values (two chunks) at a time
          const size_t base = (size_t)w << 9;
          while (m != 0) {
            const size_t o = base + ((size_t)__builtin_ctzll(m) << 3);
            m &= m - 1;
            // a pair of chunks ending past dp (dp an odd number of chunks): the second is not loaded
            const __mmask16 lm = o + 16 <= (size_t)dp ? (__mmask16)0xFFFF : (__mmask16)0x00FF;
            const __m256i u0 = _mm256_maskz_loadu_epi16(lm, pa + o);
            const __m256i u1 = _mm256_maskz_loadu_epi16(lm, pa + dp + o);
            const __m256i u2 = _mm256_maskz_loadu_epi16(lm, pa + 2 * dp + o);
            const __m256i u3 = _mm256_maskz_loadu_epi16(lm, pa + 3 * dp + o);
            __m256i v = _mm256_maskz_loadu_epi16(lm, pb + o);
            a00 = _mm256_dpwssd_epi32(a00, u0, v);
            a10 = _mm256_dpwssd_epi32(a10, u1, v);
            a20 = _mm256_dpwssd_epi32(a20, u2, v);
            a30 = _mm256_dpwssd_epi32(a30, u3, v);
            v = _mm256_maskz_loadu_epi16(lm, pb + dp + o);
            a01 = _mm256_dpwssd_epi32(a01, u0, v);
            a11 = _mm256_dpwssd_epi32(a11, u1, v);
            a21 = _mm256_dpwssd_epi32(a21, u2, v);
            a31 = _mm256_dpwssd_epi32(a31, u3, v);
            v = _mm256_maskz_loadu_epi16(lm, pb + 2 * dp + o);
            a02 = _mm256_dpwssd_epi32(a02, u0, v);
            a12 = _mm256_dpwssd_epi32(a12, u1, v);
            a22 = _mm256_dpwssd_epi32(a22, u2, v);
            a32 = _mm256_dpwssd_epi32(a32, u3, v);
            v = _mm256_maskz_loadu_epi16(lm, pb + 3 * dp + o);
            a03 = _mm256_dpwssd_epi32(a03, u0, v);
            a13 = _mm256_dpwssd_epi32(a13, u1, v);
            a23 = _mm256_dpwssd_epi32(a23, u2, v);
            a33 = _mm256_dpwssd_epi32(a33, u3, v);
          }
        }
        const __m128i nb = _mm_loadu_si128((const __m128i *)(norms + j0 + c));
        const __m128i d0 = hsum4y(a00, a01, a02, a03);
        const __m128i d1 = hsum4y(a10, a11, a12, a13);
        const __m128i d2 = hsum4y(a20, a21, a22, a23);
        const __m128i d3 = hsum4y(a30, a31, a32, a33);
        int32_t *o = D + (size_t)r * (size_t)nc + c;
        _mm_storeu_si128((__m128i *)o, _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r]), nb), _mm_slli_epi32(d0, 1)));
        _mm_storeu_si128((__m128i *)(o + nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 1]), nb), _mm_slli_epi32(d1, 1)));
        _mm_storeu_si128((__m128i *)(o + 2 * nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 2]), nb), _mm_slli_epi32(d2, 1)));
        _mm_storeu_si128((__m128i *)(o + 3 * nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 3]), nb), _mm_slli_epi32(d3, 1)));
      }
    }
    // without chunk masks (dp > 1024): 32 values at a time, every chunk
    for (; c + 3 < nc; c += 4) {
      const int16_t *pb = X + (size_t)(j0 + c) * (size_t)dp;
      __m512i a00 = _mm512_setzero_si512(), a01 = _mm512_setzero_si512(), a02 = _mm512_setzero_si512(), a03 = _mm512_setzero_si512();
      __m512i a10 = _mm512_setzero_si512(), a11 = _mm512_setzero_si512(), a12 = _mm512_setzero_si512(), a13 = _mm512_setzero_si512();
      __m512i a20 = _mm512_setzero_si512(), a21 = _mm512_setzero_si512(), a22 = _mm512_setzero_si512(), a23 = _mm512_setzero_si512();
      __m512i a30 = _mm512_setzero_si512(), a31 = _mm512_setzero_si512(), a32 = _mm512_setzero_si512(), a33 = _mm512_setzero_si512();
      for (int o = 0; o < dp; o += 32) {
        // the last chunk may end past dp: its lanes there are not loaded (the next row's values)
        const __mmask32 lm = o + 32 <= dp ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1ull << (dp - o)) - 1);
        const __m512i u0 = _mm512_maskz_loadu_epi16(lm, pa + o);
        const __m512i u1 = _mm512_maskz_loadu_epi16(lm, pa + dp + o);
        const __m512i u2 = _mm512_maskz_loadu_epi16(lm, pa + 2 * dp + o);
        const __m512i u3 = _mm512_maskz_loadu_epi16(lm, pa + 3 * dp + o);
        __m512i v = _mm512_maskz_loadu_epi16(lm, pb + o);
        a00 = _mm512_dpwssd_epi32(a00, u0, v);
        a10 = _mm512_dpwssd_epi32(a10, u1, v);
        a20 = _mm512_dpwssd_epi32(a20, u2, v);
        a30 = _mm512_dpwssd_epi32(a30, u3, v);
        v = _mm512_maskz_loadu_epi16(lm, pb + dp + o);
        a01 = _mm512_dpwssd_epi32(a01, u0, v);
        a11 = _mm512_dpwssd_epi32(a11, u1, v);
        a21 = _mm512_dpwssd_epi32(a21, u2, v);
        a31 = _mm512_dpwssd_epi32(a31, u3, v);
        v = _mm512_maskz_loadu_epi16(lm, pb + 2 * dp + o);
        a02 = _mm512_dpwssd_epi32(a02, u0, v);
        a12 = _mm512_dpwssd_epi32(a12, u1, v);
        a22 = _mm512_dpwssd_epi32(a22, u2, v);
        a32 = _mm512_dpwssd_epi32(a32, u3, v);
        v = _mm512_maskz_loadu_epi16(lm, pb + 3 * dp + o);
        a03 = _mm512_dpwssd_epi32(a03, u0, v);
        a13 = _mm512_dpwssd_epi32(a13, u1, v);
        a23 = _mm512_dpwssd_epi32(a23, u2, v);
        a33 = _mm512_dpwssd_epi32(a33, u3, v);
      }
      const __m128i nb = _mm_loadu_si128((const __m128i *)(norms + j0 + c));
      const __m128i d0 = hsum4x(a00, a01, a02, a03), d1 = hsum4x(a10, a11, a12, a13);
      const __m128i d2 = hsum4x(a20, a21, a22, a23), d3 = hsum4x(a30, a31, a32, a33);
      int32_t *o = D + (size_t)r * (size_t)nc + c;
      _mm_storeu_si128((__m128i *)o, _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r]), nb), _mm_slli_epi32(d0, 1)));
      _mm_storeu_si128((__m128i *)(o + nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 1]), nb), _mm_slli_epi32(d1, 1)));
      _mm_storeu_si128((__m128i *)(o + 2 * nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 2]), nb), _mm_slli_epi32(d2, 1)));
      _mm_storeu_si128((__m128i *)(o + 3 * nc), _mm_sub_epi32(_mm_add_epi32(_mm_set1_epi32(norms[i0 + r + 3]), nb), _mm_slli_epi32(d3, 1)));
    }
    for (; c < nc; c++) {
      const int16_t *pb = X + (size_t)(j0 + c) * (size_t)dp;
      for (int t = 0; t < 4; t++) {
        D[(size_t)(r + t) * (size_t)nc + c] = norms[i0 + r + t] + norms[j0 + c] - 2 * dotRowI16(pa + (size_t)t * (size_t)dp, pb, dp);
      }
    }
  }
  for (; r < nr; r++) {
    const int16_t *pa = X + (size_t)(i0 + r) * (size_t)dp;
    for (int c = 0; c < nc; c++) {
      D[(size_t)r * (size_t)nc + c] = norms[i0 + r] + norms[j0 + c] - 2 * dotRowI16(pa, X + (size_t)(j0 + c) * (size_t)dp, dp);
    }
  }
  // the square roots added up in the WASM kernel's order: each column's sum row after row, and each row's sum
  // group after group of four columns, ((d₀ + d₂) + (d₁ + d₃)), then the columns past the last group one at a time;
  // eight columns at a time (sqrt is correctly rounded in both, and each sum keeps its operands and their order)
  if (diag == 0) memset(col, 0, (size_t)(nc + 4) * 8);
  const int groups = nc / 4;
  double *g0 = (double *)(D + (size_t)nr * (size_t)nc + 16);
  double *g1 = g0 + groups + 2;
  int i = 0;
  for (; i < nr; i += 2) {
    const int two = i + 1 < nr;
    const int32_t *s0 = D + (size_t)i * (size_t)nc;
    const int32_t *s1 = two ? s0 + nc : s0;
    for (int j = 0; j < nc; j += 8) {
      const __mmask8 m = nc - j >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (nc - j)) - 1);
      const __m512d p = _mm512_sqrt_pd(_mm512_cvtepi32_pd(_mm256_maskz_loadu_epi32(m, s0 + j)));
      const __m512d q = _mm512_sqrt_pd(_mm512_cvtepi32_pd(_mm256_maskz_loadu_epi32(m, s1 + j)));
      if (diag == 0) {
        __m512d cv = _mm512_add_pd(_mm512_maskz_loadu_pd(m, col + j), p);
        if (two) cv = _mm512_add_pd(cv, q);
        _mm512_mask_storeu_pd(col + j, m, cv);
      }
      const __m512d up = _mm512_add_pd(p, _mm512_permutex_pd(p, 0x4E));
      const __m512d uq = _mm512_add_pd(q, _mm512_permutex_pd(q, 0x4E));
      double tp[8], tq[8];
      _mm512_storeu_pd(tp, _mm512_add_pd(up, _mm512_permute_pd(up, 0x55)));
      _mm512_storeu_pd(tq, _mm512_add_pd(uq, _mm512_permute_pd(uq, 0x55)));
      g0[j / 4] = tp[0];
      g0[j / 4 + 1] = tp[4];
      g1[j / 4] = tq[0];
      g1[j / 4 + 1] = tq[4];
    }
    double r0 = 0, r1 = 0;
    if (two) {
      for (int g = 0; g < groups; g++) {
        r0 = r0 + g0[g];
        r1 = r1 + g1[g];
      }
      for (int j = groups * 4; j < nc; j++) {
        r0 = r0 + sqrt((double)s0[j]);
        r1 = r1 + sqrt((double)s1[j]);
      }
      sums[(size_t)(i0 + i) * (size_t)k + cJ] += r0;
      sums[(size_t)(i0 + i + 1) * (size_t)k + cJ] += r1;
    } else {
      // the last of an odd number of rows: one column at a time
      for (int j = 0; j < nc; j++) r0 = r0 + sqrt((double)s0[j]);
      sums[(size_t)(i0 + i) * (size_t)k + cJ] += r0;
    }
  }
  if (diag == 0) {
    for (int j = 0; j < nc; j++) sums[(size_t)(j0 + j) * (size_t)k + cI] += col[j];
  }
}

/**
 * quantizeCenters of assembly/centers.ts, eight values at a time with its steps (⌊s⌋, plus one where s − ⌊s⌋ ≥ ½;
 * the error |v − q/128|, its largest value per center), so the same int16 values and the same errors.
 * Returns 0, writing nothing, when a value is not in [0, 255] (NaN included); else 1.
 */
VNNI512 static int quantizeNative(uint8_t *M, const double *a) {
  const double *c = (const double *)(M + (size_t)a[0]);
  const int k = (int)a[1], d = (int)a[2], dp16 = (int)a[3];
  int16_t *qc = (int16_t *)(M + (size_t)a[4]);
  double *qe = (double *)(M + (size_t)a[5]);
  const size_t n = (size_t)k * (size_t)d;
  const __m512d lo = _mm512_setzero_pd(), hi = _mm512_set1_pd(255);
  for (size_t t = 0; t < n; t += 8) {
    const __mmask8 m = n - t >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (n - t)) - 1);
    const __m512d v = _mm512_maskz_loadu_pd(m, c + t);
    // ordered comparisons: NaN fails both
    const __mmask8 ok = _mm512_mask_cmp_pd_mask(m, v, lo, _CMP_GE_OQ) & _mm512_mask_cmp_pd_mask(m, v, hi, _CMP_LE_OQ);
    if (ok != m) return 0;
  }
  const __m512d s128 = _mm512_set1_pd(128), half = _mm512_set1_pd(0.5), one = _mm512_set1_pd(1);
  for (int e = 0; e < k; e++) {
    const double *ce = c + (size_t)e * (size_t)d;
    int16_t *o = qc + (size_t)e * (size_t)dp16;
    __m512d worst = _mm512_setzero_pd();
    for (int j = 0; j < d; j += 8) {
      const __mmask8 m = d - j >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (d - j)) - 1);
      const __m512d v = _mm512_maskz_loadu_pd(m, ce + j);
      const __m512d sv = _mm512_mul_pd(v, s128);
      const __m512d f = _mm512_roundscale_pd(sv, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      const __mmask8 up = _mm512_cmp_pd_mask(_mm512_sub_pd(sv, f), half, _CMP_GE_OQ);
      const __m512d q = _mm512_mask_add_pd(f, up, f, one);
      _mm_mask_storeu_epi16(o + j, m, _mm256_cvtepi32_epi16(_mm512_cvtpd_epi32(q)));
      const __m512d err = _mm512_abs_pd(_mm512_sub_pd(v, _mm512_div_pd(q, s128)));
      worst = _mm512_mask_max_pd(worst, m, worst, err);
    }
    qe[e] = 2 * _mm512_reduce_max_pd(worst);
  }
  return 1;
}

/** quantizeNative on AVX2: four values at a time with the same steps, so the same int16 values and errors. */
AVX2T static int quantize256(uint8_t *M, const double *a) {
  const double *c = (const double *)(M + (size_t)a[0]);
  const int k = (int)a[1], d = (int)a[2], dp16 = (int)a[3];
  int16_t *qc = (int16_t *)(M + (size_t)a[4]);
  double *qe = (double *)(M + (size_t)a[5]);
  const size_t n = (size_t)k * (size_t)d;
  // ordered comparisons: NaN fails both
  for (size_t t = 0; t < n; t++) {
    if (!(c[t] >= 0 && c[t] <= 255)) return 0;
  }
  const __m256d s128 = _mm256_set1_pd(128), half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1);
  const __m256d absMask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL));
  for (int e = 0; e < k; e++) {
    const double *ce = c + (size_t)e * (size_t)d;
    int16_t *o = qc + (size_t)e * (size_t)dp16;
    __m256d worst4 = _mm256_setzero_pd();
    int j = 0;
    for (; j + 4 <= d; j += 4) {
      const __m256d v = _mm256_loadu_pd(ce + j);
      const __m256d sv = _mm256_mul_pd(v, s128);
      const __m256d f = _mm256_round_pd(sv, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      const __m256d qv = _mm256_add_pd(f, _mm256_and_pd(_mm256_cmp_pd(_mm256_sub_pd(sv, f), half, _CMP_GE_OQ), one));
      const __m128i q32 = _mm256_cvtpd_epi32(qv);
      _mm_storel_epi64((__m128i *)(o + j), _mm_packs_epi32(q32, q32));
      worst4 = _mm256_max_pd(worst4, _mm256_and_pd(_mm256_sub_pd(v, _mm256_div_pd(qv, s128)), absMask));
    }
    double w[4];
    _mm256_storeu_pd(w, worst4);
    double worst = w[0];
    for (int t = 1; t < 4; t++) if (w[t] > worst) worst = w[t];
    for (; j < d; j++) {
      const double v = ce[j];
      const double s = v * 128;
      double qv = floor(s);
      if (s - qv >= 0.5) qv += 1;
      o[j] = (int16_t)(int32_t)qv;
      const double err = fabs(v - qv / 128);
      if (err > worst) worst = err;
    }
    qe[e] = 2 * worst;
  }
  return 1;
}
#endif

/**
 * assignSparseQ(x, d, i0, i1, qc, dp16, qe, l1, c64, cn64, k, xn, labels, dist, sums, counts, scratch, rows, masks,
 * noTotal, qi): the WASM export's arguments and result (assembly/lloyd-sparse.ts), plus qi, the centers as the native
 * quantizeCenters laid them out (required; scratch is not used). Needs features() = "avx512vnni" or "avx2".
 */
static napi_value AssignSparseQ(napi_env env, napi_callback_info info) {
  double a[21];
  if (!numbersOpt(env, info, 20, 1, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "assignSparseQ: no memory bound");
#if HAVE_X86
  const int vnni = cpuHasVnni512();
  if (!vnni && !cpuHasAvx2()) return outOfRange(env, "assignSparseQ: this CPU has neither AVX-512 VNNI nor AVX2");
  const double d = a[1], i0 = a[2], i1 = a[3], dp16 = a[5], k = a[10];
  if (!(d >= 1 && d <= 1024 && i0 >= 0 && i1 >= i0 && k >= 1 && dp16 >= d && (int)dp16 % 8 == 0)) return outOfRange(env, "assignSparseQ: bad shape");
  const double kp = (double)(((int)k + 3) & ~3);
  const double chunks = (double)(((int)d + 7) >> 3);
  const double rsb = (double)((((int)d + 3) >> 2) << 4);
  const struct { const char *name; double off, bytes; int skip; } regions[] = {
    {"qc", a[4], kp * dp16 * 2, 0}, {"qe", a[6], k * 8, 0}, {"c64", a[8], k * d * 8, 0}, {"cn64", a[9], k * 8, 0},
    {"labels", a[12], i1 * 4, 0}, {"dist", a[13], i1 * 8, a[13] == 0}, {"sums", a[14], k * rsb, a[14] == 0},
    {"counts", a[15], k * 4, a[14] == 0}, {"rows", a[17], i1 * 4, a[17] == 0},
    {"qi", a[20], (double)interleavedBytes((int)d, (int)k), 0},
  };
  for (size_t r = 0; r < sizeof(regions) / sizeof(regions[0]); r++) {
    if (regions[r].skip) continue;
    if (regions[r].off == 0 || !inside(s, regions[r].off, regions[r].bytes)) {
      char msg[160];
      snprintf(msg, sizeof msg, "assignSparseQ: %s (%.0f + %.0f bytes) lies outside the memory (%zu bytes)", regions[r].name,
               regions[r].off, regions[r].bytes, s->len);
      return outOfRange(env, msg);
    }
  }
  // every row read: its pixels (whole 8-value chunks), chunk masks, ‖x‖² and ‖x‖₁
  for (size_t i = (size_t)i0; i < (size_t)i1; i++) {
    const double row = a[17] != 0 ? (double)((const int32_t *)(s->base + (size_t)a[17]))[i] : (double)i;
    if (!(row >= 0 && inside(s, a[0] + row * d, chunks * 8) && inside(s, a[18] + row * 32, 32) &&
          inside(s, a[11] + row * 8, 8) && inside(s, a[7] + row * 8, 8))) {
      return outOfRange(env, "assignSparseQ: a row lies outside the memory");
    }
  }
  uint8_t *T = (uint8_t *)scratchOf(s, assignQScratch((int)d, (int)k));
  if (T == NULL) return outOfRange(env, "assignSparseQ: out of memory for scratch");
  return number(env, vnni ? assignQ512(s->base, a, T) : assignQ256(s->base, a, T));
#else
  return outOfRange(env, "assignSparseQ: not built for this CPU");
#endif
}


#if HAVE_X86
/**
 * rowStageU8 of assembly/lloyd-dense.ts in one pass over each row, 32 pixels at a time: the chunk masks (bit q of the
 * row's 256: its 4-pixel chunk q is not all zero; bits from d/4 on zero), ‖x‖₁ (vpsadbw) and ‖x‖² (vpmaddwd on the
 * widened pixels), each an exact integer as in the WASM kernel (an int32 lane sums at most 4 · d/32 squares of at most
 * 255², below 2³¹ for d ≤ 1024), so the same values. d a multiple of 4, at most 1024 (the masks' precondition).
 */
AVX2T static void rowStage256(uint8_t *M, size_t x, int d, int i0, int i1, size_t masks, size_t l1, size_t out) {
  const __m256i zero = _mm256_setzero_si256();
  for (int i = i0; i < i1; i++) {
    const uint8_t *src = M + x + (size_t)i * (size_t)d;
    uint64_t bits[4] = {0, 0, 0, 0};
    __m256i sad = zero, sq = zero;
    int j = 0;
    for (; j + 32 <= d; j += 32) {
      const __m256i v = _mm256_loadu_si256((const __m256i *)(src + j));
      // chunks j/4 … j/4 + 7: a multiple of 8, so their bits never straddle two words
      const uint64_t nz = (uint64_t)(~_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v, zero))) & 0xFF);
      bits[j >> 8] |= nz << ((j >> 2) & 63);
      sad = _mm256_add_epi64(sad, _mm256_sad_epu8(v, zero));
      const __m256i lo = _mm256_cvtepu8_epi16(_mm256_castsi256_si128(v));
      const __m256i hi = _mm256_cvtepu8_epi16(_mm256_extracti128_si256(v, 1));
      sq = _mm256_add_epi32(sq, _mm256_add_epi32(_mm256_madd_epi16(lo, lo), _mm256_madd_epi16(hi, hi)));
    }
    int64_t s1 = _mm256_extract_epi64(sad, 0) + _mm256_extract_epi64(sad, 1) + _mm256_extract_epi64(sad, 2) + _mm256_extract_epi64(sad, 3);
    const __m128i q4 = _mm_add_epi32(_mm256_castsi256_si128(sq), _mm256_extracti128_si256(sq, 1));
    int64_t s2 = (int64_t)_mm_extract_epi32(q4, 0) + _mm_extract_epi32(q4, 1) + _mm_extract_epi32(q4, 2) + _mm_extract_epi32(q4, 3);
    for (; j < d; j += 4) {
      uint32_t w;
      memcpy(&w, src + j, 4);
      if (w != 0) bits[j >> 8] |= (uint64_t)1 << ((j >> 2) & 63);
      for (int t = 0; t < 4; t++) {
        const int64_t v = src[j + t];
        s1 += v;
        s2 += v * v;
      }
    }
    memcpy(M + masks + ((size_t)i << 5), bits, 32);
    if (l1 != 0) ((double *)(M + l1))[i] = (double)s1;
    if (out != 0) ((double *)(M + out))[i] = (double)s2;
  }
}
#endif

#if HAVE_X86
/** The four int32 lanes of a, b, c, d each added up (exact below 2³¹): [Σa, Σb, Σc, Σd]. */
AVX2T static inline __m128i hsum4i(__m128i a, __m128i b, __m128i c, __m128i d) {
  return _mm_hadd_epi32(_mm_hadd_epi32(a, b), _mm_hadd_epi32(c, d));
}

/**
 * kppTrialsU8 of assembly/kpp.ts (its contract, its outputs bit for bit): for rows [i0, i1) and T ≤ 8 candidates
 * (data rows cand[t], int16 at ci16, dp16 apart, zero padded to 4 or 8 rows), out[(i − i0)·T + t] = min(‖x_i − c_t‖²,
 * closest[i]) and pots[t] += that. Each 8-pixel chunk non-zero both in the row and in some candidate (their union
 * mask) meets all the candidates at once: one vpmaddwd covers two of them (t in the low half, t + 4 in the high
 * half). Every dot product is the exact integer the WASM kernel's lanes sum (an int32 lane adds at most d/8 pairs of
 * products of at most 255², below 2³¹ for d ≤ 1024; a candidate's chunks outside its own mask are zero, so adding them
 * changes nothing), and the distance and potential follow with its float64 operations in its order.
 */
AVX2T static void kppTrials256(uint8_t *M, const double *a) {
  const size_t x = (size_t)a[0];
  const int d = (int)a[1], i0 = (int)a[2], i1 = (int)a[3], T = (int)a[5];
  const double *cn = (const double *)(M + (size_t)a[4]);
  const double *xn = (const double *)(M + (size_t)a[6]);
  double *out = (double *)(M + (size_t)a[7]);
  const int16_t *c16 = (const int16_t *)(M + (size_t)a[8]);
  const size_t rs = (size_t)a[9];
  const uint64_t *masks = (const uint64_t *)(M + (size_t)a[10]);
  const double *closest = (const double *)(M + (size_t)a[11]);
  const int32_t *cand = (const int32_t *)(M + (size_t)a[12]);
  double *pots = (double *)(M + (size_t)a[13]);
  uint64_t um[4] = {0, 0, 0, 0};
  for (int t = 0; t < T; t++) for (int w = 0; w < 4; w++) um[w] |= masks[(size_t)cand[t] * 4 + w];
  const int wide = T > 4;
  int32_t dots[8];
  (void)d;
  for (int i = i0; i < i1; i++) {
    const double xnv = xn[i], cl = closest[i];
    double *o = out + (size_t)(i - i0) * (size_t)T;
    const uint8_t *src = M + x + (size_t)i * (size_t)d;
    const uint64_t *m = masks + (size_t)i * 4;
    if (wide) {
      __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
      for (int w = 0; w < 4; w++) {
        const uint64_t b4 = m[w] & um[w];
        uint64_t bits8 = (b4 | (b4 >> 1)) & 0x5555555555555555ULL;
        const size_t base = (size_t)w << 8;
        while (bits8 != 0) {
          const size_t px = base + ((size_t)__builtin_ctzll(bits8) << 2);
          bits8 &= bits8 - 1;
          const __m256i v = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(src + px))));
          const int16_t *q = c16 + px;
          a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(v, _mm256_loadu2_m128i((const __m128i *)(q + 4 * rs), (const __m128i *)q)));
          a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(v, _mm256_loadu2_m128i((const __m128i *)(q + 5 * rs), (const __m128i *)(q + rs))));
          a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(v, _mm256_loadu2_m128i((const __m128i *)(q + 6 * rs), (const __m128i *)(q + 2 * rs))));
          a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(v, _mm256_loadu2_m128i((const __m128i *)(q + 7 * rs), (const __m128i *)(q + 3 * rs))));
        }
      }
      _mm_storeu_si128((__m128i *)dots, hsum4i(_mm256_castsi256_si128(a0), _mm256_castsi256_si128(a1), _mm256_castsi256_si128(a2), _mm256_castsi256_si128(a3)));
      _mm_storeu_si128((__m128i *)(dots + 4), hsum4i(_mm256_extracti128_si256(a0, 1), _mm256_extracti128_si256(a1, 1), _mm256_extracti128_si256(a2, 1), _mm256_extracti128_si256(a3, 1)));
    } else {
      __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
      for (int w = 0; w < 4; w++) {
        const uint64_t b4 = m[w] & um[w];
        uint64_t bits8 = (b4 | (b4 >> 1)) & 0x5555555555555555ULL;
        const size_t base = (size_t)w << 8;
        while (bits8 != 0) {
          const size_t px = base + ((size_t)__builtin_ctzll(bits8) << 2);
          bits8 &= bits8 - 1;
          const __m128i v = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(src + px)));
          const int16_t *q = c16 + px;
          a0 = _mm_add_epi32(a0, _mm_madd_epi16(v, _mm_loadu_si128((const __m128i *)q)));
          a1 = _mm_add_epi32(a1, _mm_madd_epi16(v, _mm_loadu_si128((const __m128i *)(q + rs))));
          a2 = _mm_add_epi32(a2, _mm_madd_epi16(v, _mm_loadu_si128((const __m128i *)(q + 2 * rs))));
          a3 = _mm_add_epi32(a3, _mm_madd_epi16(v, _mm_loadu_si128((const __m128i *)(q + 3 * rs))));
        }
      }
      _mm_storeu_si128((__m128i *)dots, hsum4i(a0, a1, a2, a3));
    }
    for (int t = 0; t < T; t++) {
      double s = xnv + cn[t] - 2 * (double)dots[t];
      if (!(s > 0)) s = 0;
      const double v = s < cl ? s : cl;
      o[t] = v;
      pots[t] = pots[t] + v;
    }
  }
}
#endif

/**
 * kppTrialsU8(x, d, i0, i1, cn64, T, xn, out, ci16, dp16, masks, closest, cand, pots, scratch): the WASM export's
 * arguments and effects (assembly/kpp.ts; scratch is not used here). Needs features() = "avx512vnni" or "avx2".
 */
static napi_value KppTrialsU8(napi_env env, napi_callback_info info) {
  double a[15];
  if (!numbers(env, info, 15, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "kppTrialsU8: no memory bound");
#if HAVE_X86
  if (!cpuHasVnni512() && !cpuHasAvx2()) return outOfRange(env, "kppTrialsU8: this CPU has neither AVX-512 VNNI nor AVX2");
  const double d = a[1], i0 = a[2], i1 = a[3], T = a[5], dp16 = a[9];
  if (!(d >= 4 && d <= 1024 && (int)d % 4 == 0 && i0 >= 0 && i1 >= i0 && T >= 1 && T <= 8 && T == (int)T &&
        dp16 >= d && (int)dp16 % 8 == 0)) {
    return outOfRange(env, "kppTrialsU8: bad shape");
  }
  const double kp = T > 4 ? 8 : 4;
  const double rowBytes = (double)((((int)d + 7) >> 3) << 3);
  if (!(inside(s, a[4], T * 8) && inside(s, a[6], i1 * 8) && inside(s, a[7], (i1 - i0) * T * 8) && inside(s, a[8], kp * dp16 * 2) &&
        inside(s, a[10], i1 * 32) && inside(s, a[11], i1 * 8) && inside(s, a[12], T * 4) && inside(s, a[13], T * 8) &&
        (i1 == i0 || inside(s, a[0], (i1 - 1) * d + rowBytes)))) {
    return outOfRange(env, "kppTrialsU8: a region lies outside the memory");
  }
  const int32_t *cand = (const int32_t *)(s->base + (size_t)a[12]);
  for (int t = 0; t < (int)T; t++) {
    if (!(cand[t] >= 0 && inside(s, a[10] + (double)cand[t] * 32, 32))) return outOfRange(env, "kppTrialsU8: a candidate lies outside the memory");
  }
  kppTrials256(s->base, a);
  return undefinedValue(env);
#else
  return outOfRange(env, "kppTrialsU8: not built for this CPU");
#endif
}

/**
 * rowStageU8(x, d, i0, i1, masks, l1, out): the WASM export's arguments and effects (assembly/lloyd-dense.ts). Needs
 * features() = "avx512vnni" or "avx2".
 */
static napi_value RowStageU8(napi_env env, napi_callback_info info) {
  double a[7];
  if (!numbers(env, info, 7, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "rowStageU8: no memory bound");
#if HAVE_X86
  if (!cpuHasVnni512() && !cpuHasAvx2()) return outOfRange(env, "rowStageU8: this CPU has neither AVX-512 VNNI nor AVX2");
  const double d = a[1], i0 = a[2], i1 = a[3];
  if (!(d >= 4 && d <= 1024 && (int)d % 4 == 0 && i0 >= 0 && i1 >= i0)) return outOfRange(env, "rowStageU8: bad shape");
  if (!(inside(s, a[0], i1 * d) && inside(s, a[4], i1 * 32) && (a[5] == 0 || inside(s, a[5], i1 * 8)) &&
        (a[6] == 0 || inside(s, a[6], i1 * 8)))) {
    return outOfRange(env, "rowStageU8: a region lies outside the memory");
  }
  rowStage256(s->base, (size_t)a[0], (int)d, (int)i0, (int)i1, (size_t)a[4], (size_t)a[5], (size_t)a[6]);
  return undefinedValue(env);
#else
  return outOfRange(env, "rowStageU8: not built for this CPU");
#endif
}

/**
 * silI16(x, dp, norms, masks, sums, k, col, i0, i1, cI, j0, j1, cJ, diag): the WASM export's arguments and effects
 * (assembly/silhouette.ts). Needs features() = "avx512vnni".
 */
static napi_value SilI16(napi_env env, napi_callback_info info) {
  double a[14];
  if (!numbers(env, info, 14, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "silI16: no memory bound");
#if HAVE_X86
  if (!cpuHasVnni512()) return outOfRange(env, "silI16: this CPU has no AVX-512 VNNI");
  const double dp = a[1], k = a[5], i0 = a[7], i1 = a[8], cI = a[9], j0 = a[10], j1 = a[11], cJ = a[12];
  if (!(dp >= 8 && (int)dp % 8 == 0 && dp <= 1 << 20 && k >= 1 && i0 >= 0 && i1 >= i0 && j0 >= 0 && j1 >= j0 &&
        (a[13] != 0 || (cI >= 0 && cI < k)) && cJ >= 0 && cJ < k && (a[3] == 0 || dp <= 1024))) {
    return outOfRange(env, "silI16: bad shape");
  }
  const double hi = i1 > j1 ? i1 : j1;
  const int ok = inside(s, a[0], hi * dp * 2) && inside(s, a[2], hi * 4) && (a[3] == 0 || inside(s, a[3], hi * 16)) &&
                 inside(s, a[4], (a[13] != 0 ? i1 : hi) * k * 8) && (a[13] != 0 || inside(s, a[6], (j1 - j0 + 4) * 8));
  if (!ok) return outOfRange(env, "silI16: a region lies outside the memory");
  int32_t *D = (int32_t *)scratchOf(s, (size_t)((i1 - i0) * (j1 - j0) + 16) * 4 + (size_t)(2 * ((j1 - j0) / 4 + 2) + 2) * 8);
  if (D == NULL) return outOfRange(env, "silI16: out of memory for scratch");
  silI16Native(s->base, a, D);
  return undefinedValue(env);
#else
  return outOfRange(env, "silI16: not built for this CPU");
#endif
}

/**
 * quantizeCenters(c64, k, d, dp16, qc, qe, qi?): the WASM export's arguments, effects and result (assembly/centers.ts),
 * and with qi the centers laid out for assignSparseQ. Needs features() = "avx512vnni" or "avx2".
 */
static napi_value QuantizeCenters(napi_env env, napi_callback_info info) {
  double a[7];
  if (!numbersOpt(env, info, 6, 1, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "quantizeCenters: no memory bound");
#if HAVE_X86
  const int vnni = cpuHasVnni512();
  if (!vnni && !cpuHasAvx2()) return outOfRange(env, "quantizeCenters: this CPU has neither AVX-512 VNNI nor AVX2");
  const double k = a[1], d = a[2], dp16 = a[3];
  if (!(k >= 0 && d >= 1 && dp16 >= d)) return outOfRange(env, "quantizeCenters: bad shape");
  if (!(inside(s, a[0], k * d * 8) && inside(s, a[4], k * dp16 * 2) && inside(s, a[5], k * 8) &&
        (a[6] == 0 || (k >= 1 && inside(s, a[6], (double)interleavedBytes((int)d, (int)k)))))) {
    return outOfRange(env, "quantizeCenters: a region lies outside the memory");
  }
  const int ok = vnni ? quantizeNative(s->base, a) : quantize256(s->base, a);
  // with qi: the centers also laid out for assignSparseQ (see interleaveQ)
  if (ok == 1 && a[6] != 0) interleaveQ(s->base + (size_t)a[4], (int)k, (int)d, (int)dp16, (int16_t *)(s->base + (size_t)a[6]));
  return number(env, ok);
#else
  return outOfRange(env, "quantizeCenters: not built for this CPU");
#endif
}

NAPI_MODULE_INIT() {
  State *s = (State *)calloc(1, sizeof(State));
  if (s == NULL || napi_set_instance_data(env, s, finalizeState, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "kmeans_native: out of memory");
    return NULL;
  }
  napi_property_descriptor props[] = {
    {"bind", NULL, Bind, NULL, NULL, NULL, napi_default, NULL},
    {"features", NULL, Features, NULL, NULL, NULL, napi_default, NULL},
    {"assignSparseQ", NULL, AssignSparseQ, NULL, NULL, NULL, napi_default, NULL},
    {"silI16", NULL, SilI16, NULL, NULL, NULL, napi_default, NULL},
    {"quantizeCenters", NULL, QuantizeCenters, NULL, NULL, NULL, napi_default, NULL},
    {"rowStageU8", NULL, RowStageU8, NULL, NULL, NULL, napi_default, NULL},
    {"kppTrialsU8", NULL, KppTrialsU8, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
