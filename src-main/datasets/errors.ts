import { basename } from 'node:path';

/**
 * A dataset that cannot be read: wrong format, truncated, too large, inconsistent.
 * The message names the file and the problem, ready to show as one line to the user.
 */
export class DatasetError extends Error {
  override name = 'DatasetError';
  /** The file (or folder) that was being read, as the user named it. */
  readonly file: string;
  /** The problem without the file name. */
  readonly problem: string;

  constructor(file: string, problem: string) {
    super(`${displayName(file)}: ${problem}`);
    this.file = file;
    this.problem = problem;
  }
}

/** Short name of a file for messages: the base name for paths, the name as given otherwise. */
export function displayName(file: string): string {
  return file.includes('/') && !file.startsWith('builtin:') ? basename(file) || file : file;
}
