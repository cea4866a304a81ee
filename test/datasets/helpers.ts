import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
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

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An 8-bit PNG declaring width × height (color type 0 gray, 2 RGB, 4 gray + alpha, 6 RGBA) whose image data is
 * `raw` deflated as it is, however short or long: for files that lie about their size.
 */
export function pngDeclaring(width: number, height: number, raw: Uint8Array, opts: { colorType?: number; interlaced?: boolean } = {}): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = opts.colorType ?? 0;
  ihdr[12] = opts.interlaced ? 1 : 0;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]));
}
