/**
 * Browser-mode uploads through the real server (a `serve` process, real import workers, a real SQLite file):
 * a file of 280 MB streamed to disk with the server's peak memory far below the file's size, a body cut short
 * (no file left, server up), Content-Length over the limit refused before the body, the import queue (one at a
 * time, a queued and a running import cancelled: worker gone, uploads removed, nothing stored), and 120 images
 * uploaded and imported as one dataset.
 */
import { closeSync, createReadStream, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-shared/api';
import { TOKEN_HEADER, UPLOAD_PATH } from '../../src-shared/browser-wire';
import { cleanup, serve, stop, tempDataDir, until, workerPids, type Served } from './harness';

let dir: string;
let s: Served;
const MB = 1024 * 1024;

beforeAll(async () => {
  dir = tempDataDir('uploads');
  s = await serve(dir);
});

afterAll(async () => {
  await stop(s);
  cleanup();
});

/** Peak resident memory of a process so far, in bytes (Linux /proc VmHWM). */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** The server's worker processes (src-main/worker/main.ts), not other children such as a compiler service. */
function importWorkerPids(): number[] {
  return workerPids(s.pid).filter((pid) => {
    try {
      return /worker/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false; // gone meanwhile
    }
  });
}

const uploadFiles = (): string[] => readdirSync(join(dir, 'uploads'));

interface Answer {
  status: number;
  body: { uploadId?: string; bytes?: number; error?: string };
}

/** POSTs `body` to the upload route; `length` is sent as Content-Length. */
function upload(body: Uint8Array | Readable, length: number, headers: Record<string, string> = { [TOKEN_HEADER]: s.token }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(UPLOAD_PATH, s.url), { method: 'POST', headers: { ...headers, 'content-length': String(length) } }, (res) => {
      let text = '';
      res.on('data', (b: Buffer) => (text += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text.startsWith('{') ? JSON.parse(text) : { error: text } }));
    });
    req.on('error', reject);
    if (body instanceof Uint8Array) req.end(body);
    else body.pipe(req);
  });
}

async function uploadOk(bytes: Uint8Array): Promise<string> {
  const r = await upload(bytes, bytes.length);
  expect(r.status).toBe(200);
  expect(r.body.bytes).toBe(bytes.length);
  return r.body.uploadId!;
}

/** A CSV of `rows` rows × 8 columns, written in 1 MB blocks (its rows all alike). */
function writeCsv(path: string, rows: number): number {
  const line = '0.125,1.5,2.25,3.75,4.5,5.125,6.875,7.5\n';
  const perBlock = Math.floor(MB / line.length);
  const block = Buffer.from(line.repeat(perBlock));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'a,b,c,d,e,f,g,h\n');
    for (let left = rows; left > 0; left -= perBlock) writeSync(fd, left >= perBlock ? block : Buffer.from(line.repeat(left)));
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

const csv = (rows: number): Uint8Array => new TextEncoder().encode('x,y\n' + Array.from({ length: rows }, (_, i) => `${i},${i % 7}`).join('\n') + '\n');

async function importsNow(): Promise<ImportProgress[]> {
  return s.api.call('imports/list', {});
}

describe('uploads in browser mode', () => {
  it('streams a 280 MB file to disk: the server peaks far below the file size, and the import reads it from there', async () => {
    const big = join(tempDataDir('uploads-big'), 'big.csv');
    const size = writeCsv(big, 7_000_000);
    expect(size).toBeGreaterThan(256 * MB);
    const before = peakRss(s.pid);
    const r = await upload(createReadStream(big, { highWaterMark: MB }), size);
    expect(r.status).toBe(200);
    expect(r.body.bytes).toBe(size);
    const grew = peakRss(s.pid) - before;
    // the file as one base64 frame would take more than 3 × its size; streamed, a few MB of buffers
    expect(grew).toBeLessThan(64 * MB);
    expect(uploadFiles()).toEqual([`${r.body.uploadId}.part`]);
    expect(statSync(join(dir, 'uploads', uploadFiles()[0])).size).toBe(size);

    // the running import of the big file, and a small one queued behind it: cancel both
    const datasetsBefore = (await s.api.call('datasets/list', {})).length;
    const smallId = await uploadOk(csv(50));
    const running = s.api.request('datasets/import', { uploads: [{ name: 'big.csv', uploadId: r.body.uploadId! }], importId: 'big-1' });
    await until(async () => ((await importsNow()).find((p) => p.importId === 'big-1')?.phase === 'parse' ? true : undefined), 'the big import to parse');
    const queued = s.api.request('datasets/import', { uploads: [{ name: 'small.csv', uploadId: smallId }], importId: 'small-1' });
    await until(async () => ((await importsNow()).find((p) => p.importId === 'small-1')?.phase === 'queued' ? true : undefined), 'the small import to wait');
    const worker = await until(() => importWorkerPids()[0], 'the import worker');

    expect(await s.api.call('imports/cancel', { importId: 'small-1' })).toEqual({ importId: 'small-1' });
    const q = await queued;
    expect(q.ok).toBe(false);
    if (!q.ok) expect([q.code, q.message]).toEqual(['conflict', 'the import of small.csv was cancelled']);
    expect((await importsNow()).map((p) => [p.importId, p.phase])).toEqual([['big-1', 'parse']]);

    await s.api.call('imports/cancel', { importId: 'big-1' });
    const b = await running;
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toBe('the import of big.csv was cancelled');
    await until(() => (importWorkerPids().includes(worker) ? undefined : true), 'the import worker to be killed');
    expect(await importsNow()).toEqual([]);
    expect(uploadFiles()).toEqual([]);
    expect((await s.api.call('datasets/list', {})).length).toBe(datasetsBefore);
    const again = await s.api.request('imports/cancel', { importId: 'big-1' });
    expect(again.ok ? null : again.code).toBe('not-found');

    // the queue goes on
    const id = await uploadOk(csv(30));
    const ok = await s.api.call('datasets/import', { uploads: [{ name: 'after.csv', uploadId: id }] });
    expect(ok.dataset).toMatchObject({ name: 'after', n: 30, d: 1 });
    expect(uploadFiles()).toEqual([]);
  }, 60_000);

  it('a body cut short leaves no file and the server answers', async () => {
    await new Promise<void>((resolve) => {
      const req = request(new URL(UPLOAD_PATH, s.url), { method: 'POST', headers: { [TOKEN_HEADER]: s.token, 'content-length': String(50 * MB) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(4 * MB, 7), () => setTimeout(() => req.destroy(), 200));
    });
    await until(() => (uploadFiles().length === 0 ? true : undefined), 'the partial upload to be removed');
    expect((await s.api.call('app/info', {})).host).toBe('browser');
  });

  it('refuses an upload over the limit from its Content-Length, one without the token, and an unknown upload id', async () => {
    const over = await upload(new Uint8Array(0), 3 * 1024 * MB);
    expect(over.status).toBe(413);
    expect(over.body.error).toMatch(/larger than the upload limit of 2\.1 GB/);
    const anonymous = await upload(new Uint8Array(10), 10, {});
    expect(anonymous.status).toBe(401);
    expect(uploadFiles()).toEqual([]);
    // a request naming an unknown upload takes the known ones with it: none is left behind
    const known = await uploadOk(csv(5));
    const r = await s.api.request('datasets/import', { uploads: [{ name: 'a.csv', uploadId: known }, { name: 'x.csv', uploadId: 'no-such-upload' }] });
    expect(r.ok ? null : [r.code, r.message]).toEqual(['not-found', 'upload no-such-upload does not exist (never uploaded, or already imported or cancelled)']);
    expect(uploadFiles()).toEqual([]);
    const twice = await s.api.request('datasets/import', { uploads: [{ name: 'a.csv', uploadId: known }] });
    expect(twice.ok ? null : twice.code).toBe('not-found');
  });

  it('an upload cancelled in the page is dropped with DELETE', async () => {
    const id = await uploadOk(csv(5));
    expect(uploadFiles()).toEqual([`${id}.part`]);
    const drop = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(new URL(`${UPLOAD_PATH}?id=${id}`, s.url), { method: 'DELETE', headers: { [TOKEN_HEADER]: s.token } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await drop()).toBe(200);
    expect(uploadFiles()).toEqual([]);
    expect(await drop()).toBe(404);
  });

  it('imports 120 uploaded images (more than 100 files) as one dataset labelled by folder', async () => {
    const uploads: { name: string; uploadId: string }[] = [];
    for (let i = 0; i < 120; i++) {
      const png = new PNG({ width: 4, height: 4 });
      png.data.fill(i % 2 ? 255 : 0);
      for (let a = 3; a < png.data.length; a += 4) png.data[a] = 255;
      uploads.push({ name: `digits/${i % 3}/img${i}.png`, uploadId: await uploadOk(new Uint8Array(PNG.sync.write(png))) });
    }
    const r = await s.api.call('datasets/import', { uploads });
    expect(r.dataset).toMatchObject({ n: 120, d: 16, labelNames: ['0', '1', '2'], classCounts: [40, 40, 40] });
    expect(uploadFiles()).toEqual([]);
  }, 30_000);
});
