/** The built-in MNIST cannot be deleted: there is no way in the app to bring it back. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BUILTIN_MNIST_SOURCE, type DatasetInfo, type Reply } from '../../src-shared/api';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { DB_FILE, Services } from '../../src-main/services';
import { Store } from '../../src-main/store';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('builtin');

it('datasets/delete refuses the built-in MNIST and deletes other datasets', async () => {
  // a stand-in stored with the built-in source (the real one is 55 MB)
  const store = Store.open(join(dir, DB_FILE));
  const tiny = { n: 2, d: 2, dtype: 'uint8' as const, data: Uint8Array.from([0, 1, 2, 3]), scale: 1 / 255 };
  const builtin = store.datasets.insert({ ...tiny, name: 'MNIST', source: BUILTIN_MNIST_SOURCE }).info;
  const other = store.datasets.insert({ ...tiny, data: Uint8Array.from([4, 5, 6, 7]), name: 'mine', source: 'mine.npy' }).info;
  store.close();
  const services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  try {
    expect(await services.handle('datasets/delete', { id: builtin.id })).toEqual({ ok: false, code: 'conflict', message: 'the built-in MNIST cannot be deleted' });
    expect(await services.handle('datasets/delete', { id: other.id })).toEqual({ ok: true, data: { id: other.id } });
    const left = (await services.handle('datasets/list', {})) as Reply<DatasetInfo[]>;
    expect(left.ok && left.data.map((d) => d.name)).toEqual(['MNIST']);
  } finally {
    await services.close();
  }
});

it('stores the built-in MNIST at first start through an import worker, with startup progress, and only once', async () => {
  const first = tempDir('builtin-first');
  const services = new Services({ dataDir: first, host: 'browser', launcher: new ChildProcessLauncher() });
  const startup: unknown[] = [];
  services.subscribe((name, payload) => {
    if (name === 'app/startup') startup.push(payload);
  });
  try {
    await services.ready;
    const list = (await services.handle('datasets/list', {})) as Reply<DatasetInfo[]>;
    expect(list.ok).toBe(true);
    const mnist = list.ok ? list.data.filter((d) => d.source === BUILTIN_MNIST_SOURCE) : [];
    expect(mnist.map((d) => [d.name, d.n, d.d, d.dtype])).toEqual([['MNIST', 70_000, 784, 'uint8']]);
    expect(startup.at(-1)).toBeNull();
    expect(startup.filter((s) => s !== null).length).toBeGreaterThan(0);
  } finally {
    await services.close();
  }
  // a second start finds it stored and imports nothing
  const again = new Services({ dataDir: first, host: 'browser', launcher: new ChildProcessLauncher() });
  try {
    await again.ready;
    const list = (await again.handle('datasets/list', {})) as Reply<DatasetInfo[]>;
    expect(list.ok && list.data.filter((d) => d.source === BUILTIN_MNIST_SOURCE).length).toBe(1);
  } finally {
    await again.close();
  }
}, 120_000);
