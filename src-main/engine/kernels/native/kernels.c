// Native kernels (N-API, C11): AVX-512 VNNI versions of WASM kernels (../assembly) with the same contract and the
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
// features() says what this CPU runs: "avx512vnni" (the kernels below), or "" (the WASM kernels stay in use).
// On compilers or CPUs without these instructions the module still builds and loads, and features() is "".
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/** Reads n numbers; throws (and returns 0) when an argument is missing or not a number. */
static int numbers(napi_env env, napi_callback_info info, size_t n, double *out) {
  napi_value argv[32];
  size_t argc = 32;
  if (n > 32 || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < n) {
    napi_throw_type_error(env, NULL, "native kernel: too few arguments");
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (napi_get_value_double(env, argv[i], &out[i]) != napi_ok || !(out[i] >= 0 || out[i] < 0)) {
      napi_throw_type_error(env, NULL, "native kernel: arguments must be numbers");
      return 0;
    }
  }
  return 1;
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

/** bind(view: Uint8Array over the whole shared memory): the memory the offsets of later calls point into. */
static napi_value Bind(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
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
  State *s = state(env);
  s->base = (uint8_t *)data;
  s->len = length;
  return undefinedValue(env);
}

#if HAVE_X86
static int cpuHasVnni512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}
#else
static int cpuHasVnni512(void) { return 0; }
#endif

static napi_value Features(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  const char *f = cpuHasVnni512() ? "avx512vnni" : "";
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

/** The four int32 lanes of each 128-bit quarter of v (one row each) added exactly: rows 0 … 3 into out[0 … 3]. */
VNNI512 static inline void quarterSums(__m512i v, double *out, size_t stride) {
  const __m512d lo = _mm512_cvtepi32_pd(_mm512_castsi512_si256(v));
  const __m512d hi = _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(v, 1));
  const __m512d a = _mm512_add_pd(lo, _mm512_permute_pd(lo, 0x55));
  const __m512d b = _mm512_add_pd(hi, _mm512_permute_pd(hi, 0x55));
  const __m512d a2 = _mm512_add_pd(a, _mm512_permutex_pd(a, 0x4E));
  const __m512d b2 = _mm512_add_pd(b, _mm512_permutex_pd(b, 0x4E));
  double ta[8], tb[8];
  _mm512_storeu_pd(ta, a2);
  _mm512_storeu_pd(tb, b2);
  out[0] = ta[0] * 0.015625;
  out[stride] = ta[4] * 0.015625;
  out[2 * stride] = tb[0] * 0.015625;
  out[3 * stride] = tb[4] * 0.015625;
}

/** This thread's scratch for assignQ512: interleaved centers, decoded rows, dots, lower bounds. */
static size_t assignQ512Scratch(int d, int k) {
  const size_t kp16 = (size_t)((k + 15) & ~15);
  const size_t chunks = (size_t)((d + 7) >> 3);
  return kp16 * chunks * 16 + Q_ROWS * chunks * 20 + (Q_ROWS + 1) * 4 + Q_ROWS * kp16 * 8 + 2 * kp16 * 8 + 256;
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
  const size_t x = (size_t)a[0];
  const int d = (int)a[1], i0 = (int)a[2], i1 = (int)a[3];
  const size_t qc = (size_t)a[4];
  const int dp16 = (int)a[5];
  const size_t qe = (size_t)a[6], l1 = (size_t)a[7], c64 = (size_t)a[8], cn64 = (size_t)a[9];
  const int k = (int)a[10];
  const size_t xn = (size_t)a[11], labels = (size_t)a[12], dist = (size_t)a[13], sums = (size_t)a[14],
               counts = (size_t)a[15], rows = (size_t)a[17], masks = (size_t)a[18];
  const int noTotal = (int)a[19];
  const size_t rs16 = (size_t)dp16 << 1;
  const size_t rs = ((size_t)((d + 3) >> 2)) << 4;
  const int kp = (k + 3) & ~3;
  const int kp16 = (k + 15) & ~15;
  const size_t chunks = (size_t)((d + 7) >> 3);
  // scratch: interleaved centers | per-entry chunk index | per-entry pixels | row starts | dots | lows
  int16_t *qi = (int16_t *)T;
  uint32_t *offs = (uint32_t *)(T + (size_t)kp16 * chunks * 16);
  int16_t *pix = (int16_t *)((uint8_t *)offs + ((Q_ROWS * chunks * 4 + 63) & ~(size_t)63));
  int32_t *starts = (int32_t *)((uint8_t *)pix + Q_ROWS * chunks * 16);
  double *dots = (double *)(((uintptr_t)(starts + Q_ROWS + 1) + 63) & ~(uintptr_t)63);
  double *lows = dots + (size_t)Q_ROWS * kp16;
  double *ubs = lows + kp16;
  const double *cn = (const double *)(M + cn64);
  const double *qev = (const double *)(M + qe);
  // centers 4g … 4g + 3, chunk e: 32 int16 at qi + (g · chunks + e) · 32 (centers past kp are zero)
  for (int g = 0; g < kp16 / 4; g++) {
    for (size_t e = 0; e < chunks; e++) {
      int16_t *o = qi + ((size_t)g * chunks + e) * 32;
      for (int t = 0; t < 4; t++) {
        const int c = 4 * g + t;
        const __m128i v = c < kp ? _mm_loadu_si128((const __m128i *)(M + qc + (size_t)c * rs16 + (e << 4))) : _mm_setzero_si128();
        _mm_storeu_si128((__m128i *)(o + t * 8), v);
      }
    }
  }
  int rowOf[Q_ROWS];
  double total = 0;
  for (int b0 = i0; b0 < i1; b0 += Q_ROWS) {
    const int b1 = b0 + Q_ROWS < i1 ? b0 + Q_ROWS : i1;
    const int nb = b1 - b0;
    // the next block's rows, picked from anywhere, start loading
    if (rows != 0) {
      const int n1 = b1 + Q_ROWS < i1 ? b1 + Q_ROWS : i1;
      for (int i = b1; i < n1; i++) {
        const int row = ((const int32_t *)(M + rows))[i];
        const uint8_t *p = M + x + (size_t)row * (size_t)d;
        for (size_t o = 0; o < (size_t)d; o += 64) _mm_prefetch((const char *)(p + o), _MM_HINT_T0);
        _mm_prefetch((const char *)(M + masks + ((size_t)row << 5)), _MM_HINT_T0);
      }
    }
    // each row's 8-pixel chunks that hold a non-zero 4-pixel chunk, widened (decodeRow8 of the WASM kernel)
    int ne = 0;
    for (int r = 0; r < nb; r++) {
      const int row = rows != 0 ? ((const int32_t *)(M + rows))[b0 + r] : b0 + r;
      rowOf[r] = row;
      starts[r] = ne;
      const uint64_t *mk = (const uint64_t *)(M + masks + ((size_t)row << 5));
      const uint8_t *src = M + x + (size_t)row * (size_t)d;
      for (int w = 0; w < 4; w++) {
        uint64_t bits8 = (mk[w] | (mk[w] >> 1)) & 0x5555555555555555ULL;
        while (bits8 != 0) {
          const size_t e = ((size_t)w << 5) + (size_t)(__builtin_ctzll(bits8) >> 1);
          bits8 &= bits8 - 1;
          offs[ne] = (uint32_t)e;
          // a chunk reaching past d reads bytes after the row: the int16 centers are zero there
          _mm_storeu_si128((__m128i *)(pix + (size_t)ne * 8), _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(src + (e << 3)))));
          ne++;
        }
      }
    }
    starts[nb] = ne;
    for (int c0 = 0; c0 < kp16; c0 += 16) {
      const int16_t *q0 = qi + (size_t)(c0 / 4) * chunks * 32;
      const size_t gs = chunks * 32; // int16 between two groups of 4 centers
      for (int r = 0; r < nb; r++) {
        __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512(), a2 = _mm512_setzero_si512(), a3 = _mm512_setzero_si512();
        for (int e = starts[r]; e < starts[r + 1]; e++) {
          const __m512i u = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(pix + (size_t)e * 8)));
          const int16_t *q = q0 + (size_t)offs[e] * 32;
          a0 = _mm512_dpwssd_epi32(a0, u, _mm512_loadu_si512((const void *)q));
          a1 = _mm512_dpwssd_epi32(a1, u, _mm512_loadu_si512((const void *)(q + gs)));
          a2 = _mm512_dpwssd_epi32(a2, u, _mm512_loadu_si512((const void *)(q + 2 * gs)));
          a3 = _mm512_dpwssd_epi32(a3, u, _mm512_loadu_si512((const void *)(q + 3 * gs)));
        }
        double *o = dots + (size_t)r * kp16 + c0;
        quarterSums(a0, o, 1);
        quarterSums(a1, o + 4, 1);
        quarterSums(a2, o + 8, 1);
        quarterSums(a3, o + 12, 1);
      }
    }
    for (int r = 0; r < nb; r++) {
      const int i = b0 + r;
      const int row = rowOf[r];
      const uint8_t *src = M + x + (size_t)row * (size_t)d;
      const uint64_t *mk = (const uint64_t *)(M + masks + ((size_t)row << 5));
      const double *dr = dots + (size_t)r * kp16;
      const double xnv = ((const double *)(M + xn))[row];
      const double l1v = ((const double *)(M + l1))[row];
      // the smallest upper bound Q_c + e_c (its first center), then the centers whose lower bound Q_c − e_c does
      // not exceed it: eight centers at a time, each value with the WASM kernel's operations in its order
      const __m512d vl1 = _mm512_set1_pd(l1v), vxn = _mm512_set1_pd(xnv), eps = _mm512_set1_pd(1e-12);
      __m512d vmin = _mm512_set1_pd(INFINITY);
      for (int e = 0; e < k; e += 8) {
        const __mmask8 m = k - e >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (k - e)) - 1);
        const __m512d cnv = _mm512_maskz_loadu_pd(m, cn + e);
        const __m512d q = _mm512_sub_pd(cnv, _mm512_maskz_loadu_pd(m, dr + e));
        const __m512d err = _mm512_add_pd(_mm512_mul_pd(vl1, _mm512_maskz_loadu_pd(m, qev + e)), _mm512_mul_pd(eps, _mm512_add_pd(vxn, cnv)));
        _mm512_mask_storeu_pd(lows + e, m, _mm512_sub_pd(q, err));
        const __m512d u = _mm512_add_pd(q, err);
        _mm512_mask_storeu_pd(ubs + e, m, u);
        vmin = _mm512_mask_min_pd(vmin, m, vmin, u);
      }
      const double ub = _mm512_reduce_min_pd(vmin);
      int best = 0;
      for (int e = 0; e < k; e++) {
        if (ubs[e] == ub) {
          best = e;
          break;
        }
      }
      int others = 0;
      const __m512d vub = _mm512_set1_pd(ub);
      for (int e = 0; e < k; e += 8) {
        const __mmask8 m = k - e >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (k - e)) - 1);
        others += __builtin_popcount((unsigned)_mm512_mask_cmp_pd_mask(m, _mm512_maskz_loadu_pd(m, lows + e), vub, _CMP_LE_OQ));
      }
      others -= lows[best] <= ub ? 1 : 0;
      double s;
      if (others != 0) {
        double bd = INFINITY;
        for (int e = 0; e < k; e++) {
          if (lows[e] > ub) continue;
          const double v = cn[e] - 2 * dot64u8(src, (const double *)(M + c64) + (size_t)e * (size_t)d, mk);
          if (v < bd) {
            bd = v;
            best = e;
          }
        }
        s = xnv + bd;
      } else if (noTotal != 0 && dist == 0) {
        s = 0;
      } else {
        s = xnv + (cn[best] - 2 * dot64u8(src, (const double *)(M + c64) + (size_t)best * (size_t)d, mk));
      }
      if (s < 0) s = 0;
      ((int32_t *)(M + labels))[i] = best;
      if (dist != 0) ((double *)(M + dist))[i] = s;
      total += s;
      if (sums != 0) {
        // the row's non-zero 4-pixel chunks into its center's int32 sums
        int32_t *sb = (int32_t *)(M + sums + (size_t)best * rs);
        for (int w = 0; w < 4; w++) {
          uint64_t bits = mk[w];
          const size_t base = (size_t)w << 6;
          while (bits != 0) {
            const size_t q = base + (size_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            const uint8_t *p = src + (q << 2);
            int32_t *t = sb + (q << 2);
            t[0] += p[0];
            t[1] += p[1];
            t[2] += p[2];
            t[3] += p[3];
          }
        }
        ((int32_t *)(M + counts))[best] += 1;
      }
    }
  }
  return total;
}
#endif

/**
 * assignSparseQ(x, d, i0, i1, qc, dp16, qe, l1, c64, cn64, k, xn, labels, dist, sums, counts, scratch, rows, masks,
 * noTotal): the WASM export's arguments and result (assembly/lloyd-sparse.ts). Needs features() = "avx512vnni".
 */
static napi_value AssignSparseQ(napi_env env, napi_callback_info info) {
  double a[20];
  if (!numbers(env, info, 20, a)) return NULL;
  State *s = state(env);
  if (s->base == NULL) return outOfRange(env, "assignSparseQ: no memory bound");
#if HAVE_X86
  if (!cpuHasVnni512()) return outOfRange(env, "assignSparseQ: this CPU has no AVX-512 VNNI");
  const double d = a[1], i0 = a[2], i1 = a[3], dp16 = a[5], k = a[10];
  if (!(d >= 1 && d <= 1024 && i0 >= 0 && i1 >= i0 && k >= 1 && dp16 >= d && (int)dp16 % 8 == 0)) return outOfRange(env, "assignSparseQ: bad shape");
  const double kp = (double)(((int)k + 3) & ~3);
  const double chunks = (double)(((int)d + 7) >> 3);
  const double rsb = (double)((((int)d + 3) >> 2) << 4);
  int ok = inside(s, a[4], kp * dp16 * 2) && inside(s, a[6], k * 8) && inside(s, a[8], k * d * 8) &&
           inside(s, a[9], k * 8) && inside(s, a[12], i1 * 4) && (a[13] == 0 || inside(s, a[13], i1 * 8)) &&
           (a[14] == 0 || (inside(s, a[14], k * rsb) && inside(s, a[15], k * 4))) &&
           (a[17] == 0 || inside(s, a[17], i1 * 4));
  if (!ok) return outOfRange(env, "assignSparseQ: a region lies outside the memory");
  // every row read: its pixels (whole 8-value chunks), chunk masks, ‖x‖² and ‖x‖₁
  for (size_t i = (size_t)i0; i < (size_t)i1; i++) {
    const double row = a[17] != 0 ? (double)((const int32_t *)(s->base + (size_t)a[17]))[i] : (double)i;
    if (!(row >= 0 && inside(s, a[0] + row * d, chunks * 8) && inside(s, a[18] + row * 32, 32) &&
          inside(s, a[11] + row * 8, 8) && inside(s, a[7] + row * 8, 8))) {
      return outOfRange(env, "assignSparseQ: a row lies outside the memory");
    }
  }
  uint8_t *T = (uint8_t *)scratchOf(s, assignQ512Scratch((int)d, (int)k));
  if (T == NULL) return outOfRange(env, "assignSparseQ: out of memory for scratch");
  return number(env, assignQ512(s->base, a, T));
#else
  return outOfRange(env, "assignSparseQ: not built for this CPU");
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
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
