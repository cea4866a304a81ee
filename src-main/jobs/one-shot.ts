/**
 * One job in its own worker process that answers with a single result message (an import, a map):
 * progress messages while it works, then the result or a clean error; the process is killed after either.
 */
import { describeExit, type Launcher } from './launcher';
import type { FromWorker, ToWorker } from './protocol';

export interface OneShotOptions<T, P = number> {
  /** What the job is, for messages: "the import", "the map". */
  what: string;
  /** The result carried by `m`, or undefined when `m` is not the result. */
  result(m: FromWorker): T | undefined;
  /** The progress carried by `m` (a fraction, or more), or undefined. */
  progress?(m: FromWorker): P | undefined;
  onProgress?: (progress: P) => void;
  /** A message to send back when the worker sends `m` (a go-ahead), or undefined. */
  answer?(m: FromWorker): ToWorker | undefined;
  /**
   * Aborting kills the worker and rejects at once with `abortMessage`, unless `holdAbort()` is true then (the
   * worker is past the point of no return, e.g. writing): the job then ends as it would have.
   */
  signal?: AbortSignal;
  holdAbort?(): boolean;
  abortMessage?: string;
}

/**
 * Resolves with the job's result; rejects with the worker's error (its `name` kept, e.g. DatasetError), when
 * the process exits early (crash, out of memory, killed), or when `signal` is aborted.
 */
export function runOneShot<T, P = number>(launcher: Launcher, message: ToWorker, opts: OneShotOptions<T, P>): Promise<T> {
  const abortMessage = opts.abortMessage ?? `${opts.what} was stopped`;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new Error(abortMessage));
    let settled = false;
    const worker = launcher.launch();
    opts.signal?.addEventListener(
      'abort',
      () => {
        if (settled || opts.holdAbort?.()) return;
        settled = true;
        worker.kill();
        reject(new Error(abortMessage));
      },
      { once: true },
    );
    worker.onMessage((m) => {
      if (settled) return;
      const progress = opts.progress?.(m);
      if (progress !== undefined) return opts.onProgress?.(progress);
      const answer = opts.answer?.(m);
      if (answer !== undefined) return worker.send(answer);
      const result = opts.result(m);
      if (result !== undefined) {
        settled = true;
        worker.kill();
        resolve(result);
      } else if (m.type === 'error') {
        settled = true;
        worker.kill();
        const err = new Error(m.message);
        err.name = m.name;
        if (m.code !== undefined) Object.assign(err, { code: m.code });
        reject(err);
      }
    });
    worker.onExit((exit) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the process of ${opts.what} ${describeExit(exit)} before finishing (out of memory?)`));
    });
    worker.send(message);
  });
}
