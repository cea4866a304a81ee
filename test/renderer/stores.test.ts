/**
 * The Pinia stores against the real browser-mode server (in-process, fresh database, real job workers),
 * through the renderer's own WebSocket client — the same path the app takes in browser mode.
 */
/// <reference types="node" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startServer, type RunningServer } from '../../src-main/server';
import { setApi } from '../../src-renderer/api';
import { createWsApi } from '../../src-renderer/api/ws-client';
import { useApp } from '../../src-renderer/stores/app';
import { useDatasets } from '../../src-renderer/stores/datasets';
import { useRuns } from '../../src-renderer/stores/runs';
import { clusterSummaries, useRunDetail } from '../../src-renderer/stores/run-detail';
import { mapKey, useMaps } from '../../src-renderer/stores/maps';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let server: RunningServer;
let client: ReturnType<typeof createWsApi>;

beforeAll(async () => {
  dir = makeTempDir('stores');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  server = await startServer({ dataDir: join(dir, 'data'), rendererDir, builtinMnist: false });
  client = createWsApi({
    url: `ws://127.0.0.1:${server.port}/api?token=${server.token}`,
    WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket,
  });
  setApi(client);
});

afterAll(async () => {
  client?.close();
  setApi(null);
  await server?.close();
  removeTempDir(dir);
});

beforeEach(() => {
  setActivePinia(createPinia());
});

const csv = (rows: number): string => {
  const lines = ['a,b,label'];
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    lines.push(`${c * 10 + (i % 5) * 0.1},${c * 10 - (i % 3) * 0.1},${c ? 'hi' : 'lo'}`);
  }
  return lines.join('\n') + '\n';
};

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('datasets store', () => {
  it('imports dropped files, selects the new dataset, and loads sample rows', async () => {
    const ds = useDatasets();
    await ds.load();
    expect(ds.list).toEqual([]);
    const info = await ds.importFiles([new File([csv(40)], 'two.csv')]);
    expect(info?.name).toMatch(/two/);
    expect(ds.list.map((d) => d.id)).toEqual([info!.id]);
    expect(ds.selected?.id).toBe(info!.id);
    expect(ds.imports).toEqual([]);
    expect(ds.importError).toBeNull();
    const s = await ds.loadSamples(info!.id, 4);
    expect(Array.from(s!.indices)).toEqual([0, 10, 20, 30]);
    expect(s!.d).toBe(2);
    expect(s!.labels).not.toBeNull();
    // importing the same content again returns the existing dataset, not a second one
    const again = await ds.importFiles([new File([csv(40)], 'copy.csv')]);
    expect(again!.id).toBe(info!.id);
    expect(ds.list).toHaveLength(1);
  });

  it("lists another window's import from main's events while it runs, and drops it when it ends", async () => {
    const ds = useDatasets();
    await ds.load();
    const seen: string[] = [];
    const stop = ds.$subscribe(() => {
      for (const i of ds.imports) if (i.elsewhere) seen.push(`${i.id}:${i.phase}`);
    });
    // as another window would: straight to the api, not through this store
    const r = await client['datasets/import']({ files: [{ name: 'elsewhere.csv', bytes: new TextEncoder().encode(csv(30)) }], importId: 'other-window-1' });
    stop();
    expect(r.ok).toBe(true);
    expect(seen).toContain('other-window-1:parse');
    expect(ds.imports).toEqual([]);
  });

  it('a bad file sets a clear error naming it and adds nothing', async () => {
    const ds = useDatasets();
    await ds.load();
    const before = ds.list.length;
    const r = await ds.importFiles([new File(['a,b\n1,2\n3\n'], 'ragged.csv')]);
    expect(r).toBeNull();
    expect(ds.importError?.files).toEqual(['ragged.csv']);
    expect(ds.importError?.message).toContain('ragged.csv');
    expect(ds.importError?.message).not.toMatch(/^datasets\/import/);
    await ds.load();
    expect(ds.list).toHaveLength(before);
  });
});

describe('runs and run-detail stores', () => {
  it('start → queued → done through events; details, rename, delete', async () => {
    const ds = useDatasets();
    const runs = useRuns();
    await Promise.all([ds.load(), runs.load()]);
    const dataset = ds.list[0]!;
    const started = await runs.start({ datasetId: dataset.id, params: { k: 2, seed: 3 }, silhouette: { mode: 'exact' }, name: 'two-blobs' });
    expect(started).toHaveLength(1);
    const id = started![0]!.id;
    expect(runs.byId(id)?.name).toBe('two-blobs');
    await until(() => runs.byId(id)?.status === 'done');
    expect(runs.byId(id)!.metrics?.ari).toBeCloseTo(1, 10);
    // the silhouette follows done: its progress is kept while it is computed, dropped once it lands
    await until(() => runs.byId(id)?.silhouetteState === 'final');
    const done = runs.byId(id)!;
    expect(done.metrics?.silhouette).toBeGreaterThan(0.5);
    expect(done.clusterSizes?.slice().sort()).toEqual([20, 20]);
    expect(runs.progress[id]).toBeUndefined();

    const detail = await useRunDetail().load(id);
    expect(detail?.arrays.k).toBe(2);
    expect(detail?.arrays.labels).toHaveLength(40);
    expect(detail?.contingency?.matchedAccuracy).toBe(1);
    expect(detail?.histogram?.exact).toBe(true);
    const sums = clusterSummaries(done.clusterSizes!, detail!.contingency);
    expect(sums.map((s) => s.purity)).toEqual([1, 1]);
    expect(new Set(sums.map((s) => s.majorityName))).toEqual(new Set(['hi', 'lo']));

    const members = await useRunDetail().members({ id, cluster: 0, sortBy: 'distance', order: 'asc', limit: 3 });
    expect(typeof members).not.toBe('string');

    expect(await runs.rename(id, 'renamed')).toBe(true);
    expect(runs.byId(id)?.name).toBe('renamed');
    expect(await runs.remove(id)).toBe(true);
    expect(runs.byId(id)).toBeNull();
  });

  it('computes a skipped silhouette: pending at once, then final through run/updated; a refused one is a toast', async () => {
    const ds = useDatasets();
    const runs = useRuns();
    const app = useApp();
    await Promise.all([ds.load(), runs.load()]);
    const started = await runs.start({ datasetId: ds.list[0]!.id, params: { k: 2, seed: 3 }, silhouette: { mode: 'none' }, name: 'no-sil' });
    const id = started![0]!.id;
    await until(() => runs.byId(id)?.status === 'done');
    expect(runs.byId(id)!.silhouetteState).toBe('none');
    expect((await useRunDetail().load(id))?.arrays.silhouette).toBeNull();
    expect(await runs.computeSilhouette(id, { mode: 'exact' })).toBe(true);
    // the reply is the run, pending; the value comes with a later event
    expect(['pending', 'final']).toContain(runs.byId(id)!.silhouetteState);
    await until(() => runs.byId(id)?.silhouetteState === 'final');
    expect(runs.byId(id)!.silhouette).toEqual({ mode: 'exact' });
    expect(runs.byId(id)!.metrics!.silhouette).toBeGreaterThan(0.5);
    // the detail cached before is loaded again: it did not hold the silhouette
    const detail = await useRunDetail().load(id);
    expect(detail?.arrays.silhouette?.exact).toBe(true);
    expect(detail?.histogram?.exact).toBe(true);

    expect(await runs.computeSilhouette(id, { mode: 'exact' })).toBe(false);
    expect(app.toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Could not compute the silhouette' });
    expect(app.toasts.at(-1)?.message).toMatch(/exact silhouette is computed already/);
    expect(await runs.remove(id)).toBe(true);
  });

  it('a refused start is reported to the user, not thrown', async () => {
    const runs = useRuns();
    const app = useApp();
    await runs.load();
    const r = await runs.start({ datasetId: 999_999, params: { k: 2 } });
    expect(r).toBeNull();
    expect(app.toasts.at(-1)?.kind).toBe('error');
    expect(app.toasts.at(-1)?.title).toBe('Could not start the run');
    expect(app.toasts.at(-1)?.message).toBeTruthy();
  });
});

describe('maps store', () => {
  it('loads a dataset map once (typed arrays over the socket), keeps it, and reads rows for hover', async () => {
    const ds = useDatasets();
    await ds.load();
    const info = (await ds.importFiles([new File(['x,y,z,label\n' + Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 5},${i % 3},${i % 2}`).join('\n') + '\n'], 'xyz.csv')]))!;
    expect(info.columnNames).toEqual(['x', 'y', 'z']);
    const maps = useMaps();
    const key = { datasetId: info.id, method: 'pca' as const, preprocessing: 'none' as const };
    const map = (await maps.load(key))!;
    expect(map.coords).toBeInstanceOf(Float32Array);
    expect(map.coords).toHaveLength(60);
    expect(map.labels).toBeInstanceOf(Int32Array);
    expect(map.explainedVarianceRatio![0]).toBeGreaterThan(0.9);
    expect(maps.progress[mapKey(key)]).toBeUndefined();
    expect(await maps.load(key)).toBe(map);
    const rows = await maps.rows(info.id, [4]);
    expect(typeof rows !== 'string' && Array.from(rows.data)).toEqual([4, 3, 1]);
    // an error is kept for the card to show
    expect(await maps.load({ ...key, datasetId: 9999 })).toBeNull();
    expect(maps.errors[mapKey({ ...key, datasetId: 9999 })]).toMatch(/does not exist/);
  }, 60_000);
});
