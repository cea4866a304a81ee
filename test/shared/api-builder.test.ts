/** The one Api builder of the preload and the WebSocket client: one function per request, events to their listeners. */
import { describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, type EventName, type Reply, type RequestName } from '../../src-shared/api';
import { buildApi } from '../../src-shared/api-builder';

describe('buildApi', () => {
  it('makes one function per request that hands name and payload to the transport', async () => {
    const sent: [RequestName, unknown][] = [];
    const { api } = buildApi(async (name, payload): Promise<Reply<unknown>> => {
      sent.push([name, payload]);
      return { ok: true, data: name };
    });
    for (const name of REQUEST_NAMES) expect(typeof api[name]).toBe('function');
    expect(await api['runs/get']({ id: 7 })).toEqual({ ok: true, data: 'runs/get' });
    expect(sent).toEqual([['runs/get', { id: 7 }]]);
  });

  it('dispatches events to their listeners only, keeps going past one that throws, and unsubscribes', () => {
    const { api, dispatch } = buildApi(async () => ({ ok: true, data: null }), { close: () => 'closed' });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const got: unknown[] = [];
    api.on('run/deleted', () => {
      throw new Error('boom');
    });
    const off = api.on('run/deleted', (p) => got.push(p));
    api.on('dataset/deleted', () => got.push('wrong event'));
    dispatch('run/deleted', { id: 1 });
    dispatch('no/such', { id: 2 });
    off();
    dispatch('run/deleted', { id: 3 });
    expect(got).toEqual([{ id: 1 }]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
    expect(api.close()).toBe('closed');
    expect(() => api.on('no/such' as EventName, () => undefined)).toThrow(/unknown event/);
    expect(() => api.on('run/deleted', 'not a function' as never)).toThrow(/listener must be a function/);
  });
});
