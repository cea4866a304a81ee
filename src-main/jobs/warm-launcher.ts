/**
 * A launcher that keeps one worker process ready while the app is idle, so a run starts computing at once: the
 * spare has loaded its code and, told `warm`, compiled the WASM kernel, started its threads and read the last run's
 * dataset ahead (used only if its content hash is unchanged when the job comes). Each launch hands
 * out the spare and prepares the next one only when that worker has exited, so every job still gets a fresh
 * process of its own (crash isolation as before) and no spare competes with a running job for the CPU.
 * A spare that died while waiting is replaced by a fresh launch; the spare's watchdog is the job's (armed at start).
 */
import type { Launcher, WorkerHandle } from './launcher';

interface Spare {
  handle: WorkerHandle;
  exited: boolean;
  warmed: boolean;
}

export class WarmLauncher implements Launcher {
  readonly kind: Launcher['kind'];
  private spare: Spare | null = null;
  private running = 0;
  private closed = false;
  /** The dataset of the last run started: the next spare reads it ahead. */
  private lastStage: { dbPath: string; datasetId: number } | undefined;

  constructor(private readonly inner: Launcher) {
    this.kind = inner.kind;
    this.prepare();
  }

  /** Whether a spare is waiting now with its warm-up done (none while any worker of this launcher runs). */
  get spareReady(): boolean {
    return this.spare !== null && !this.spare.exited && this.spare.warmed;
  }

  launch(): WorkerHandle {
    const spare = this.spare;
    this.spare = null;
    const handle = spare && !spare.exited ? spare.handle : this.inner.launch();
    this.running++;
    handle.onExit(() => {
      this.running--;
      this.prepare();
    });
    return {
      get pid() {
        return handle.pid;
      },
      send: (m) => {
        if (m.type === 'start') this.lastStage = { dbPath: m.job.dbPath, datasetId: m.job.datasetId };
        handle.send(m);
      },
      onMessage: (l) => handle.onMessage(l),
      onExit: (l) => handle.onExit(l),
      kill: () => handle.kill(),
    };
  }

  /** Kills the spare; no new one is prepared. */
  close(): void {
    this.closed = true;
    this.spare?.handle.kill();
    this.spare = null;
  }

  private prepare(): void {
    if (this.closed || this.spare || this.running > 0) return;
    try {
      const handle = this.inner.launch();
      const spare: Spare = { handle, exited: false, warmed: false };
      handle.onMessage((m) => {
        if (m.type === 'warmed') spare.warmed = true;
      });
      handle.onExit(() => {
        spare.exited = true;
        if (this.spare === spare) this.spare = null;
      });
      handle.send({ type: 'warm', stage: this.lastStage });
      this.spare = spare;
    } catch (e) {
      // no spare: the next launch starts a worker as it would without one
      console.error('could not prepare a worker process ahead of time:', e);
    }
  }
}
