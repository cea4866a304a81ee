/**
 * The 'embeddings/*' requests: a dataset's 2-D map from the store's cache, or computed once in a worker
 * process (concurrent requests for the same map share one computation) and cached. Main only reads and
 * writes the cache; the computation never runs on main.
 */
import { MAX_UMAP_ROWS, type EmbeddingProgress, type EmbeddingReply, type EmbeddingRequest, type Handlers } from '../../src-shared/api';
import { defaultPreprocessing } from '../../src-shared/defaults';
import type { Launcher } from '../jobs/launcher';
import { runOneShot } from '../jobs/one-shot';
import type { Store } from '../store';
import type { EmbeddingKey } from '../store/embeddings-repo';

export interface EmbeddingServiceOptions {
  store: Store;
  dbPath: string;
  launcher: Launcher;
  onProgress: (p: EmbeddingProgress) => void;
  /** Turns an expected failure into the reply code: the host's ServiceError. */
  fail: (code: 'not-found' | 'bad-request' | 'conflict', message: string) => Error;
}

interface InFlight {
  promise: Promise<Omit<EmbeddingReply, 'cached'>>;
  controller: AbortController;
  cancelled: boolean;
}

export class EmbeddingService {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly opts: EmbeddingServiceOptions) {}

  handlers(): Pick<Handlers, 'embeddings/get' | 'embeddings/cancel'> {
    return {
      'embeddings/get': (req) => this.get(req),
      'embeddings/cancel': (req) => {
        const job = this.inFlight.get(keyString(this.key(req)));
        if (!job) return { cancelled: false };
        job.cancelled = true;
        job.controller.abort();
        return { cancelled: true };
      },
    };
  }

  /** Stops every computation (the app is closing). */
  close(): void {
    for (const job of this.inFlight.values()) job.controller.abort();
  }

  private key(req: EmbeddingRequest): EmbeddingKey {
    const ds = this.opts.store.datasets.get(req.datasetId);
    if (!ds) throw this.opts.fail('not-found', `dataset ${req.datasetId} does not exist`);
    if (ds.d < 2 || ds.n < 2) throw this.opts.fail('bad-request', `embeddings/get: a map needs at least 2 rows and 2 columns, dataset ${ds.name} is ${ds.n} × ${ds.d}`);
    if (req.method === 'umap' && ds.n > MAX_UMAP_ROWS) {
      throw this.opts.fail('bad-request', `embeddings/get: UMAP is limited to ${MAX_UMAP_ROWS.toLocaleString('en-US')} rows, dataset ${ds.name} has ${ds.n.toLocaleString('en-US')}; use PCA`);
    }
    // PCA is deterministic: one cache entry whatever the seed
    const seed = req.method === 'pca' ? 0 : (req.seed ?? 0);
    return { datasetId: ds.id, preprocessing: req.preprocessing ?? defaultPreprocessing(ds), method: req.method, seed };
  }

  private async get(req: EmbeddingRequest): Promise<EmbeddingReply> {
    const { store } = this.opts;
    const key = this.key(req);
    const labels = store.datasets.labels(key.datasetId);
    const stored = store.embeddings.get(key);
    if (stored) {
      return { ...key, kind: stored.kind, n: stored.coords.length / 2, coords: stored.coords, explainedVarianceRatio: stored.explainedVarianceRatio, labels, computeMs: stored.computeMs, cached: true };
    }
    const name = keyString(key);
    let job = this.inFlight.get(name);
    if (!job) {
      const controller = new AbortController();
      const created: InFlight = { controller, cancelled: false, promise: this.compute(key, controller.signal) };
      job = created;
      this.inFlight.set(name, job);
      job.promise.then(
        () => this.inFlight.delete(name),
        () => this.inFlight.delete(name),
      );
    }
    const running = job;
    try {
      return { ...(await running.promise), labels, cached: false };
    } catch (e) {
      if (running.cancelled) throw this.opts.fail('conflict', `the ${key.method} map of dataset ${key.datasetId} was cancelled`);
      throw e;
    }
  }

  private async compute(key: EmbeddingKey, signal: AbortSignal): Promise<Omit<EmbeddingReply, 'cached'>> {
    const { store, launcher, dbPath, onProgress } = this.opts;
    onProgress({ ...key, fraction: 0 });
    const { embedding, computeMs } = await runOneShot(launcher, { type: 'embed', spec: { ...key, dbPath } }, {
      what: 'the map',
      result: (m) => (m.type === 'embedded' ? m : undefined),
      progress: (m) => (m.type === 'embed-progress' ? { fraction: m.fraction, epoch: m.epoch, epochs: m.epochs } : undefined),
      onProgress: (p) => onProgress({ ...key, ...p }),
      signal,
    });
    const entry = { kind: embedding.kind, coords: embedding.coords, explainedVarianceRatio: embedding.explainedVarianceRatio, computeMs };
    // the dataset may have been deleted meanwhile: then there is nothing to cache
    if (store.datasets.get(key.datasetId)) store.embeddings.put(key, entry);
    onProgress({ ...key, fraction: 1 });
    return { ...key, ...entry, n: entry.coords.length / 2, labels: null };
  }
}

function keyString(k: EmbeddingKey): string {
  return `${k.datasetId}/${k.preprocessing}/${k.method}/${k.seed}`;
}
