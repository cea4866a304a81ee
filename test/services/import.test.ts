/** Dataset imports run in a worker process: by path (desktop host) and by bytes, with progress and clean errors. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, ImportProgress, ImportReply } from '../../src-shared/api';
import { ChildProcessLauncher, type Launcher } from '../../src-main/jobs/launcher';
import { Services } from '../../src-main/services';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let services: Services;
const events: { name: EventName; payload: unknown }[] = [];

beforeAll(() => {
  dir = makeTempDir('import');
  // the host flag only decides whether paths are accepted; workers are child processes here
  services = new Services({ dataDir: join(dir, 'data'), host: 'electron', launcher: new ChildProcessLauncher(), builtinMnist: false });
  services.subscribe((name, payload) => events.push({ name, payload }));
});
afterAll(async () => {
  await services.close();
  removeTempDir(dir);
});

describe('dataset import', () => {
  it('imports a CSV by path in a worker, reporting parse and store progress', async () => {
    const rows = ['f1;f2;f3;class'];
    for (let i = 0; i < 500; i++) rows.push(`${i};${i % 7};${(i * 0.5).toFixed(1)};${i % 2 ? 'odd' : 'even'}`);
    const file = join(dir, 'numbers.csv');
    writeFileSync(file, rows.join('\n'));
    const r = await services.handle('datasets/import', { paths: [file], options: { name: 'Numbers' } });
    expect(r.ok).toBe(true);
    const { dataset, existed } = (r as { ok: true; data: ImportReply }).data;
    expect(existed).toBe(false);
    expect(dataset).toMatchObject({ name: 'Numbers', n: 500, d: 3, dtype: 'float32', classCounts: [250, 250] });
    const progress = events.filter((e) => e.name === 'import/progress').map((e) => e.payload as ImportProgress);
    expect(progress.map((p) => p.phase).filter((ph, i, all) => ph !== all[i - 1])).toEqual(['queued', 'parse', 'store', 'ended']);
    expect(progress[0]).toMatchObject({ name: 'numbers.csv', phase: 'queued', fraction: 0 });
    expect(progress.at(-2)).toMatchObject({ phase: 'store', fraction: 1 });
    expect(new Set(progress.map((p) => p.importId)).size).toBe(1);
    const samples = await services.handle('datasets/samples', { id: dataset.id, indices: [499] });
    expect(samples).toMatchObject({ ok: true, data: { data: Float32Array.from([499, 499 % 7, 249.5]) } });
  });

  it('answers a missing file or bad bytes with bad-request naming the file, and main carries on', async () => {
    const missing = join(dir, 'nope.csv');
    expect(await services.handle('datasets/import', { paths: [missing] })).toEqual({ ok: false, code: 'bad-request', message: expect.stringContaining('nope.csv') });
    const bad = await services.handle('datasets/import', { files: [{ name: 'broken.npy', bytes: Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1]) }] });
    expect(bad).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringContaining('broken.npy') });
    expect(await services.handle('datasets/list', {})).toMatchObject({ ok: true, data: [{ name: 'Numbers' }] });
  });

  it('closing the app kills an import still parsing and answers it', async () => {
    const pids: number[] = [];
    const inner = new ChildProcessLauncher();
    const recording: Launcher = {
      kind: inner.kind,
      launch() {
        const handle = inner.launch();
        if (handle.pid) pids.push(handle.pid);
        return handle;
      },
    };
    const other = new Services({ dataDir: join(dir, 'closing'), host: 'browser', launcher: recording, builtinMnist: false });
    const rows = ['a,b,c,d'];
    for (let i = 0; i < 400_000; i++) rows.push(`${i},${i % 13},${i * 0.25},${i % 7}`);
    const reply = other.handle('datasets/import', { files: [{ name: 'big.csv', bytes: new TextEncoder().encode(rows.join('\n')) }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(pids).toHaveLength(1);
    await other.close();
    expect(await reply).toMatchObject({ ok: false, message: expect.stringContaining('shutting down') });
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pids[0], 0)).toThrow();
  });
});
