/**
 * Hostile uploads through the real server: a pixel bomb (a ~100-byte PNG declaring 8192 × 8192), a truncated
 * PNG, an IDX file whose header lies about its size, a gzip bomb. Each is refused with one message naming the
 * file and the problem, the server stays up, and its memory does not balloon. A memory budget refuses runs and
 * imports that would not fit.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateRunBytes } from '../../src-main/memory-budget';
import { pngDeclaring } from '../datasets/helpers';
import { cleanup, runReaches, seedDataset, serve, stop, tempDataDir, type Served } from './harness';

let dir: string;
let s: Served;

beforeAll(async () => {
  dir = tempDataDir('hostile');
  s = await serve(dir);
});

afterAll(async () => {
  await stop(s);
  cleanup();
});

/** Resident memory of a process in bytes (Linux /proc). */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

async function refused(name: string, bytes: Uint8Array): Promise<string> {
  // a plain Uint8Array copy: the wire codec carries typed arrays, not Node Buffers
  const r = await s.api.request('datasets/import', { files: [{ name, bytes: new Uint8Array(bytes) }] });
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('imported');
  expect(r.code).toBe('bad-request');
  return r.message;
}

describe('hostile files', () => {
  it('a pixel bomb: 8192 × 8192 declared, four rows carried, refused before any pixel buffer', async () => {
    const bomb = pngDeclaring(8192, 8192, new Uint8Array(4 * 5));
    expect(bomb.length).toBeLessThan(120);
    const before = rss(s.pid);
    const message = await refused('bomb.png', bomb);
    expect(message).toMatch(/bomb\.png: declares 8192×8192 pixels but carries only \d+ bytes of image data, too few to hold them/);
    // pngjs would have made 268 MB of RGBA in the worker and sent it to main
    expect(rss(s.pid) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a truncated PNG, and one whose image data stops early, are refused; the whole one imports', async () => {
    const img = new PNG({ width: 32, height: 32 });
    for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : (i * 7) % 256;
    const whole = new Uint8Array(PNG.sync.write(img));
    expect(await refused('cut.png', whole.subarray(0, whole.length - 30))).toMatch(/cut\.png: (is truncated|has corrupt or truncated image data)/);
    const rows = new Uint8Array(33 * 20); // 20 of the 32 rows (filter byte + 32 gray pixels each)
    expect(await refused('short.png', pngDeclaring(32, 32, rows))).toMatch(/short\.png: declares 32×32 pixels but its image data holds 660 of the 1056 bytes/);
    const ok = await s.api.call('datasets/import', { files: [{ name: 'whole.png', bytes: whole }] });
    expect(ok.dataset).toMatchObject({ n: 1, d: 32 * 32 * 3 });
  });

  it('an IDX header that lies about its size, and a gzip bomb, are refused with the file named', async () => {
    const idx = Buffer.alloc(16 + 100);
    idx.writeUInt32BE(0x00000803, 0); // uint8, 3 dimensions
    idx.writeUInt32BE(1_000_000_000, 4);
    idx.writeUInt32BE(28, 8);
    idx.writeUInt32BE(28, 12);
    expect(await refused('lying-images-idx3-ubyte', idx)).toMatch(/lying-images-idx3-ubyte: .*(more than the limit|truncated)/);

    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x00000803, 0);
    header.writeUInt32BE(10, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(200 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(300 * 1024);
    expect(await refused('bomb-images-idx3-ubyte.gz', bomb)).toMatch(/bomb-images-idx3-ubyte\.gz: /);
    expect((await s.api.call('app/info', {})).version).toBeTruthy();
  }, 60_000);
});

describe('many files', () => {
  it('101 dropped images import (the request schema used to stop at 100 files)', async () => {
    const files = Array.from({ length: 101 }, (_, i) => ({
      name: `digits/${i % 2}/img${i}.png`,
      bytes: pngDeclaring(2, 2, Uint8Array.from([0, i, i, 0, 255 - i, 255 - i])),
    }));
    const r = await s.api.call('datasets/import', { files });
    expect(r.dataset).toMatchObject({ n: 101, d: 4, classCounts: [51, 50] });
  });
});

describe('a memory budget (KMEANS_MEMORY_BUDGET)', () => {
  it('refuses a run that would not fit before it is queued, and an import that declares more than a third of the budget', async () => {
    const budgetDir = tempDataDir('budget');
    const datasetId = seedDataset(budgetDir);
    const shape = { n: 20_000, d: 32, dtype: 'float32', scale: 1 } as const;
    const budget = estimateRunBytes(shape, 2, 'none', { mode: 'none' }) + 1e6;
    const b = await serve(budgetDir, { env: { KMEANS_MEMORY_BUDGET: String(budget) } });
    const big = await b.api.request('runs/start', { datasetId, params: { k: 64 }, preprocessing: 'none', silhouette: { mode: 'exact' } });
    expect(big).toMatchObject({ ok: false, code: 'unsupported' });
    expect(!big.ok && big.message).toMatch(/^runs\/start: this run needs about [\d.]+ MB of memory \(20000 × 32 float32, k = 64, none, silhouette exact\), more than the [\d.]+ MB a job may use here; try the sampled silhouette/);
    expect(await b.api.call('runs/list', {})).toEqual([]); // nothing queued
    const small = await b.api.call('runs/start', { datasetId, params: { k: 2 }, preprocessing: 'none', silhouette: { mode: 'none' } });
    expect((await runReaches(b.api, small.runs[0].id, ['done', 'failed'])).status).toBe('done');

    const header = Buffer.alloc(16 + 1000);
    header.writeUInt32BE(0x00000803, 0);
    header.writeUInt32BE(Math.ceil(budget / 3 / 784) + 10, 4); // just over a third of the budget
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    const r = await b.api.request('datasets/import', { files: [{ name: 'big-images-idx3-ubyte', bytes: new Uint8Array(header) }] });
    expect(r).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringMatching(/big-images-idx3-ubyte: .*more than the limit of/) });
    await stop(b);
  }, 60_000);
});
