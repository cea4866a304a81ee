/**
 * Lists of k for sweeps and lists of seeds for repeated runs: the text the user types ("2-20", "2,4,8,16,32",
 * "2-20:2", "5, 10-12") and the limits the services check again.
 */

import { MAX_SEED } from './params';

/** Largest k a sweep may ask for (the services also check k ≤ n). */
export const MAX_SWEEP_K = 500;
/** Most distinct k in one sweep. */
export const MAX_SWEEP_KS = 500;
/** Most seeds per k. */
export const MAX_SWEEP_SEEDS = 100;
/** Most runs one request may queue (ks × seeds). */
export const MAX_SWEEP_RUNS = 2000;

export type KListResult = { ok: true; ks: number[] } | { ok: false; message: string };

/**
 * Parses a comma-separated list of k and ranges `a-b` or `a-b:step` (inclusive) into distinct k in increasing
 * order, each in 1 … `maxK` (default MAX_SWEEP_K). A message in plain words names the first bad part.
 */
export function parseKList(text: string, maxK = MAX_SWEEP_K): KListResult {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!parts.length) return { ok: false, message: 'Give at least one k, e.g. "2-20" or "2,4,8".' };
  const ks = new Set<number>();
  for (const part of parts) {
    const m = /^(\d+)(?:\s*-\s*(\d+)(?:\s*:\s*(\d+))?)?$/.exec(part);
    if (!m) return { ok: false, message: `"${part}" is not a k or a range like 2-20 (or 2-20:2 for every second k).` };
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step < 1) return { ok: false, message: `The step in "${part}" must be at least 1.` };
    if (b < a) return { ok: false, message: `The range "${part}" goes down; write it as ${b}-${a}.` };
    if (a < 1 || b > maxK) return { ok: false, message: `k must be from 1 to ${maxK}; "${part}" is outside.` };
    for (let k = a; k <= b; k += step) {
      ks.add(k);
      if (ks.size > MAX_SWEEP_KS) return { ok: false, message: `At most ${MAX_SWEEP_KS} values of k in one sweep.` };
    }
  }
  return { ok: true, ks: [...ks].sort((x, y) => x - y) };
}

/** The `count` consecutive seeds from `first` (repeats of a run over seeds), or null past 2^32 − 1. */
export function consecutiveSeeds(first: number, count: number): number[] | null {
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 1 || first + count - 1 > MAX_SEED) return null;
  return Array.from({ length: count }, (_, i) => first + i);
}
