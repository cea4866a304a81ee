/**
 * bench --click's event tracking: click → done is the first ending run/updated (kept even when the silhouette's
 * later run/updated arrives before anyone waits), click → silhouette final the first one no longer pending.
 */
import { expect, it } from 'vitest';
import { trackRunEnds } from '../../src-main/cli/bench/serve-child';
import type { ApiSocketClient } from '../../src-main/api-socket-client';

/** The one method trackRunEnds uses, fed by the test. */
function events(): { api: ApiSocketClient; emit(name: string, payload: unknown): void } {
  const listeners: ((name: string, payload: unknown) => void)[] = [];
  const api = { onEvent: (l: (name: string, payload: unknown) => void) => (listeners.push(l), () => undefined) } as unknown as ApiSocketClient;
  return { api, emit: (name, payload) => listeners.forEach((l) => l(name, payload)) };
}

it('done first, then the silhouette; each from its own event, whenever it is waited for', async () => {
  const { api, emit } = events();
  const ends = trackRunEnds(api);
  emit('run/updated', { id: 1, status: 'running', silhouetteState: 'none' });
  emit('run/updated', { id: 1, status: 'done', silhouetteState: 'pending', error: null });
  await new Promise((r) => setTimeout(r, 5));
  emit('run/updated', { id: 1, status: 'done', silhouetteState: 'final', error: null });
  const done = await ends.end(1);
  const landed = await ends.silhouette(1);
  expect(done.status).toBe('done');
  expect(landed.status).toBe('final');
  expect(landed.at).toBeGreaterThan(done.at);

  const waiting = ends.silhouette(2);
  emit('run/updated', { id: 2, status: 'done', silhouetteState: 'pending' });
  emit('run/updated', { id: 2, status: 'done', silhouetteState: 'failed', silhouetteError: 'cancelled before the silhouette was computed' });
  expect(await waiting).toMatchObject({ status: 'failed', error: 'cancelled before the silhouette was computed' });
  // a run that fails has no silhouette to wait for
  emit('run/updated', { id: 3, status: 'failed', silhouetteState: 'none', error: 'boom' });
  expect(await ends.silhouette(3)).toMatchObject({ status: 'none' });
  ends.stop();
});
