/**
 * The optional native kernels (native/kernels.c, N-API): AVX-512 VNNI and AVX2 versions of some WASM exports, with
 * the same arguments (byte offsets into the shared memory) and the same outputs, bit for bit. withNativeKernels puts
 * them in the place of those exports where they can run; everything else stays WASM.
 *
 * They run when all of these hold, checked once per thread: the module was built (scripts/build-native.mjs, part
 * of `npm run build`; a machine without a compiler skips it), it loads, this CPU has AVX-512 (F, BW, VL) with
 * VNNI (all of NATIVE_EXPORTS) or AVX2 (those of nativeExportsFor('avx2')), and KMEANS_EXPLORER_NATIVE is not "0".
 * nativeKernelStatus() says which, for `info` and the tests.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDir } from '../../entry-path';
import type { KernelExports } from './wasm';

/** What the native module exports (see native/kernels.c). */
interface NativeModule {
  bind(view: Uint8Array, bytes?: number): void;
  features(): string;
  assignSparseQ: KernelExports['assignSparseQ'];
  silI16: KernelExports['silI16'];
  quantizeCenters: KernelExports['quantizeCenters'];
  rowStageU8: KernelExports['rowStageU8'];
  kppTrialsU8: KernelExports['kppTrialsU8'];
}

/** The exports the native module replaces (on a CPU with AVX-512 VNNI). */
export const NATIVE_EXPORTS = ['assignSparseQ', 'silI16', 'quantizeCenters', 'rowStageU8', 'kppTrialsU8'] as const;

/**
 * The exports replaced on a CPU with these features (the module's features()): all of them with AVX-512 VNNI; with
 * AVX2 alone the assignment and its quantized centers (assignSparseQ reads the layout quantizeCenters writes, so the
 * two go together), the rows' staging (rowStageU8) and the k-means++ trials (kppTrialsU8), the exact silhouette
 * staying WASM; none otherwise.
 */
export function nativeExportsFor(features: string): readonly (typeof NATIVE_EXPORTS)[number][] {
  if (features === 'avx512vnni') return NATIVE_EXPORTS;
  if (features === 'avx2') return ['assignSparseQ', 'quantizeCenters', 'rowStageU8', 'kppTrialsU8'];
  return [];
}

export interface NativeKernelStatus {
  /** True when withNativeKernels puts the native kernels in place. */
  active: boolean;
  /** The CPU features the module found ("avx512vnni", "avx2"), or "" */
  features: string;
  /** Why not, when not active. */
  reason: string | null;
}

let loaded: { mod: NativeModule | null; status: NativeKernelStatus } | null = null;

function thisDir(): string {
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/** Path of kmeans-native.node for the code running now (bundle: out/main/kernels; sources: kernels/build). */
export function nativePath(): string {
  const out = bundleDir();
  return out !== null ? join(out, 'kernels', 'kmeans-native.node') : join(thisDir(), 'build', 'kmeans-native.node');
}

function load(): { mod: NativeModule | null; status: NativeKernelStatus } {
  if (loaded !== null) return loaded;
  const off = (reason: string, features = ''): typeof loaded => ({ mod: null, status: { active: false, features, reason } });
  if (process.env.KMEANS_EXPLORER_NATIVE === '0') loaded = off('KMEANS_EXPLORER_NATIVE=0');
  else {
    const p = nativePath();
    if (!existsSync(p)) loaded = off(`not built (${p} is missing)`);
    else {
      try {
        const mod = createRequire(p)(p) as NativeModule;
        const features = mod.features();
        const missing = NATIVE_EXPORTS.filter((name) => typeof mod[name] !== 'function');
        // (assignSparseQ reads the layout quantizeCenters writes: all of them or none)
        if (missing.length > 0) loaded = off(`an older build (no ${missing.join(', ')}); run "npm run build"`, features);
        else loaded = nativeExportsFor(features).length > 0
          ? { mod, status: { active: true, features, reason: null } }
          : off('this CPU has neither AVX-512 VNNI nor AVX2', features);
      } catch (e) {
        loaded = off(`it did not load: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return loaded as NonNullable<typeof loaded>;
}

/** Whether the native kernels run in this process, and why not. */
export function nativeKernelStatus(): NativeKernelStatus {
  return load().status;
}

/**
 * `ex` with the native kernels in the place of their WASM exports, bound to `memory` (re-bound when another memory
 * comes, or a larger one), or `ex` itself when they do not run here (nativeKernelStatus). `bytes` gives the memory's
 * size as the pool saw it when it started the job (a kernel thread's own view of a shared memory another thread grew
 * may lag behind it).
 */
export function withNativeKernels(ex: KernelExports, memory: WebAssembly.Memory, bytes: () => number = () => memory.buffer.byteLength): KernelExports {
  const { mod, status } = load();
  if (mod === null) return ex;
  const bound = (): NativeModule => {
    // one binding per thread (the module's instance data)
    const size = Math.max(bytes(), memory.buffer.byteLength);
    if (binding.memory !== memory || binding.bytes !== size) {
      mod.bind(new Uint8Array(memory.buffer), size);
      binding.memory = memory;
      binding.bytes = size;
    }
    return mod;
  };
  const out: KernelExports = { ...ex };
  for (const name of nativeExportsFor(status.features)) {
    const f = mod[name] as (...args: number[]) => number | void;
    const g = (...args: number[]) => f.apply(bound(), args);
    (out as unknown as Record<string, unknown>)[name] = Object.assign(g, { native: true });
  }
  return out;
}

/** Whether a kernel function is a native one (withNativeKernels marks them). */
export function isNative(f: unknown): boolean {
  return typeof f === 'function' && (f as { native?: boolean }).native === true;
}

/** Bytes of the native quantizeCenters' layout for assignSparseQ: k rounded up to 16 centers, 16 bytes a chunk of 8 values. */
export function interleavedQBytes(k: number, d: number): number {
  return Math.ceil(k / 16) * 16 * Math.ceil(d / 8) * 16 + 64;
}

/**
 * The memory this thread's native module is bound to now: one record per thread (on its global object), so that two
 * copies of this file in one thread (a bundle and its sources, say) do not each believe the binding is theirs.
 */
const binding: { memory: WebAssembly.Memory | null; bytes: number } = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('kmeans-explorer.native-binding')
] ??= { memory: null, bytes: -1 }) as { memory: WebAssembly.Memory | null; bytes: number };
