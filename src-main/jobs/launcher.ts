/**
 * Starts one job worker process. Two implementations with the same worker entry (`entryPoint('worker')`):
 * Electron's `utilityProcess.fork` under Electron, `child_process.fork` in browser mode and tests.
 * Nothing else knows which one runs.
 */
import { fork } from 'node:child_process';
import type { UtilityProcess } from 'electron';
import { entryPoint, type EntryPoint } from '../entry-path';
import type { FromWorker, ToWorker } from './protocol';

export interface WorkerExit {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal name (child_process only; utilityProcess reports a code). */
  signal: string | null;
}

/** How a worker ended, for messages: "was killed (SIGKILL)", "exited with code 1". */
export function describeExit(exit: WorkerExit): string {
  return exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process is gone (including when it could not start). */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Kills the process now (SIGKILL); onExit follows. */
  kill(): void;
}

export interface Launcher {
  readonly kind: 'child_process' | 'utilityProcess';
  launch(): WorkerHandle;
  /** Stops processes the launcher keeps ready (warm-launcher.ts); the app is closing. */
  close?(): void;
}

/** `child_process.fork` with structured-clone IPC. */
export class ChildProcessLauncher implements Launcher {
  readonly kind = 'child_process';
  constructor(private readonly entry: EntryPoint = entryPoint('worker')) {}

  launch(): WorkerHandle {
    const child = fork(this.entry.file, [], {
      execArgv: [...this.entry.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let exited = false;
    const exitListeners: ((e: WorkerExit) => void)[] = [];
    const finish = (e: WorkerExit): void => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(e);
    };
    child.on('exit', (code, signal) => finish({ code, signal }));
    child.on('error', () => {
      // spawn failure or failed send; 'exit' may never come when spawning failed
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) finish({ code: null, signal: 'spawn-failed' });
    });
    return {
      pid: child.pid,
      send: (m) => {
        child.send(m);
      },
      onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
      onExit: (l) => exitListeners.push(l),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
  }
}

/** The members of Electron's UtilityProcess that the launcher uses. */
export type UtilityProcessLike = Pick<UtilityProcess, 'pid' | 'on' | 'postMessage' | 'kill'>;

/** Electron's `utilityProcess.fork` (the `utilityProcess` module is passed in, so this file needs no Electron at run time). */
export class UtilityProcessLauncher implements Launcher {
  readonly kind = 'utilityProcess';
  constructor(
    private readonly utility: { fork(modulePath: string, args?: string[], options?: Electron.ForkOptions): UtilityProcessLike },
    private readonly entry: EntryPoint = entryPoint('worker'),
  ) {}

  launch(): WorkerHandle {
    const child = this.utility.fork(this.entry.file, [], {
      serviceName: 'K-means job',
      execArgv: [...this.entry.execArgv],
      stdio: 'inherit',
      env: process.env,
    });
    let exited = false;
    const exitListeners: ((e: WorkerExit) => void)[] = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l({ code, signal: null });
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
      onExit: (l) => exitListeners.push(l),
      kill: () => {
        if (exited) return;
        // UtilityProcess.kill() sends SIGTERM; SIGKILL first so a busy worker stops now, then kill() lets Electron reap it
        if (child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        child.kill();
      },
    };
  }
}
