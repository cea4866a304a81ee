/**
 * Calling a Services instance as a client would, for tests: `call` unwraps the reply (throws on an error
 * reply), `waitEvent` polls the events recorded by `record` until one matches.
 */
import type { EventName, EventOf, ReplyOf, RequestName, RequestOf } from '../../src-shared/api';
import type { Services } from '../../src-main/services';

export function serviceCalls(services: () => Services, defaultTimeoutMs = 30_000) {
  const events: { name: EventName; payload: unknown }[] = [];
  return {
    events,
    /** Subscribe to the current services' events (call after creating them). */
    record(): void {
      services().subscribe((name, payload) => events.push({ name, payload }));
    },
    async call<K extends RequestName>(name: K, req: RequestOf<K>): Promise<ReplyOf<K>> {
      const r = await services().handle(name, req);
      if (!r.ok) throw new Error(`${name} failed: ${r.code} ${r.message}`);
      return r.data as ReplyOf<K>;
    },
    waitEvent<E extends EventName>(name: E, pred: (p: EventOf<E>) => boolean, timeoutMs = defaultTimeoutMs): Promise<EventOf<E>> {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = (): void => {
          const hit = events.find((e) => e.name === name && pred(e.payload as EventOf<E>));
          if (hit) return resolve(hit.payload as EventOf<E>);
          if (Date.now() - t0 > timeoutMs) return reject(new Error(`no ${name} event`));
          setTimeout(tick, 10);
        };
        tick();
      });
    },
  };
}
