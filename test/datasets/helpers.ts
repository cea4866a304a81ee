import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { DatasetError } from '../../src-main/datasets/errors';

/** A temporary folder removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kmx-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs fn (sync or async) and returns the DatasetError it throws, failing on anything else. */
export async function datasetError(fn: () => unknown): Promise<DatasetError> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof DatasetError)) throw new Error(`expected a DatasetError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return e;
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

/** Asserts a DatasetError whose message names the file and matches the problem. */
export async function expectDatasetError(fn: () => unknown, file: string, problem: RegExp): Promise<string> {
  const e = await datasetError(fn);
  expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
  expect(e.message).toMatch(problem);
  // BAD_INPUT_LOG=FILE collects every bad input and its message (for test/datasets/bad-inputs.md)
  if (process.env.BAD_INPUT_LOG) appendFileSync(process.env.BAD_INPUT_LOG, `${expect.getState().currentTestName}\t${e.message}\n`);
  return e.message;
}
