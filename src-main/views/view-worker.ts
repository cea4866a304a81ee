/**
 * Run views computed in a worker thread when they are large (see view-thread.ts), inline when small (a thread
 * round trip costs more than a 10 × 10 matching); cluster profiles and members, which need the dataset's rows, always there. One thread, started on first use, unref'ed, restarted after
 * a crash; requests are answered in order.
 */
import type { Worker } from 'node:worker_threads';
import type { ClusterProfilesReply, CompareRunsReply, ContingencyReply } from '../../src-shared/api';
import { startEntryThread } from '../entry-path';
import { clusterMembers, compareView, contingencyView, samplesOf } from '../run-views';

/** rows × cols of the matching from which it goes to the thread (about a millisecond of work below it). */
export const THREAD_FROM_CELLS = 64 * 64;

/** A stored dataset the thread reads itself (read-only connection to `dbPath`), keeping the last one. */
export interface StoredDataset {
  dbPath: string;
  datasetId: number;
  /** The dataset's content hash: a dataset deleted and another stored under its id is not mistaken for it. */
  hash: string;
}

/** Cluster profiles of a run. */
export interface ProfilesArgs extends StoredDataset {
  runId: number;
  labels: Int32Array;
  k: number;
}

/** Members of one cluster of a run (clusterMembers), with their rows unless `withRows` is false. */
export interface MembersArgs extends StoredDataset {
  labels: Int32Array;
  centers: Float64Array;
  silhouette: Parameters<typeof clusterMembers>[3];
  query: Parameters<typeof clusterMembers>[4];
  transform: Parameters<typeof clusterMembers>[5];
  withRows: boolean;
}

export type MembersView = ReturnType<typeof clusterMembers> & { samples: ReturnType<typeof samplesOf> | null };

export type ViewRequest =
  | { id: number; kind: 'compare'; args: Parameters<typeof compareView> }
  | { id: number; kind: 'profiles'; args: ProfilesArgs }
  | { id: number; kind: 'members'; args: MembersArgs }
  | { id: number; kind: 'contingency'; args: Parameters<typeof contingencyView> };

export type ViewResponse = { id: number; ok: true; data: unknown } | { id: number; ok: false; message: string };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class ViewWorker {
  private thread: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly threadFromCells = THREAD_FROM_CELLS) {}

  compare(...args: Parameters<typeof compareView>): Promise<CompareRunsReply> | CompareRunsReply {
    if (args[0].k * args[1].k < this.threadFromCells) return compareView(...args);
    return this.post({ kind: 'compare', args }) as Promise<CompareRunsReply>;
  }

  contingency(...args: Parameters<typeof contingencyView>): Promise<ContingencyReply> | ContingencyReply {
    if (args[2] * args[4].length < this.threadFromCells) return contingencyView(...args);
    return this.post({ kind: 'contingency', args }) as Promise<ContingencyReply>;
  }

  /** Always in the thread: loading the rows (tens of MB) and the O(n·d) passes would stall main for long. */
  profiles(args: ProfilesArgs): Promise<ClusterProfilesReply> {
    return this.post({ kind: 'profiles', args }) as Promise<ClusterProfilesReply>;
  }

  /** Always in the thread, for the same reason (sorting a cluster's rows by distance is another O(n·d) pass). */
  members(args: MembersArgs): Promise<MembersView> {
    return this.post({ kind: 'members', args }) as Promise<MembersView>;
  }

  close(): void {
    const t = this.thread;
    this.thread = null;
    this.failAll(new Error('the app is shutting down'));
    void t?.terminate();
  }

  private post(req: Omit<ViewRequest, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.start().postMessage({ ...req, id });
    });
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const t = startEntryThread('view-thread');
    t.on('message', (res: ViewResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.data);
      else p.reject(new Error(res.message));
    });
    const gone = (why: string): void => {
      if (this.thread !== t) return;
      this.thread = null;
      this.failAll(new Error(`the view thread ${why}`));
    };
    t.on('error', (e) => gone(`failed: ${e.message}`));
    t.on('exit', (code) => gone(`exited with code ${code}`));
    t.unref();
    this.thread = t;
    return t;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
