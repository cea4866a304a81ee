/**
 * Finished results that the database would not take before the app closed (locked, disk full) are written to
 * files beside it, `pending-results/run-<id>.v8` (V8 serialization keeps the typed arrays), and saved at the
 * next start before anything else touches the runs. A file that still cannot be saved stays for the next start.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { RunOutcome, RunsRepo } from '../store/runs-repo';

export const SPILL_DIR = 'pending-results';
const FILE = /^run-(\d+)\.v8$/;

/** Writes the outcome of `runId` under `dataDir`; throws when it cannot (the caller logs it). */
export function spillResult(dataDir: string, runId: number, outcome: RunOutcome): string {
  const dir = join(dataDir, SPILL_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `run-${runId}.v8`);
  writeFileSync(`${file}.tmp`, serialize(outcome));
  renameSync(`${file}.tmp`, file); // whole or not at all
  return file;
}

/**
 * Saves every spilled result of a run still `running` (its status when the app closed) and removes its file.
 * Returns the ids saved. Call before `interruptRunning`.
 */
export function recoverSpilledResults(dataDir: string, runs: RunsRepo): number[] {
  const dir = join(dataDir, SPILL_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const saved: number[] = [];
  for (const name of names) {
    const m = FILE.exec(name);
    if (!m) continue;
    const file = join(dir, name);
    const runId = Number(m[1]);
    try {
      const outcome = deserialize(readFileSync(file)) as RunOutcome;
      if (runs.saveResult(runId, outcome)) saved.push(runId);
      else console.error(`${file}: run ${runId} is no longer running; its kept result was not saved`);
      rmSync(file);
    } catch (e) {
      console.error(`${file}: could not save the kept result of run ${runId} (kept for the next start):`, e);
    }
  }
  return saved;
}
