/**
 * Temporary folders for tests, one helper for every test file: a real folder on disk (under the OS temp folder,
 * named `kx-<prefix>-…`), removed when the test file or the test is done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Makes a temporary folder now (inside `parent`, default the OS temp folder); remove it with {@link removeTempDir}. */
export function makeTempDir(prefix: string, parent = tmpdir()): string {
  return mkdtempSync(join(parent, parent === tmpdir() ? `kx-${prefix}-` : `${prefix}-`));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A temporary folder removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  afterAll(() => removeTempDir(dir));
  return dir;
}
