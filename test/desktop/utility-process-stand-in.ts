/**
 * A stand-in for Electron's `utilityProcess.fork`: starts `modulePath` in a real Node child whose
 * `process.parentPort` (parent-port-shim.cjs) has the utility process's shape, and returns an object with the
 * members of Electron's `UtilityProcess` that the launcher uses, typed against Electron's declarations.
 *
 * Mapped as Electron documents them: `postMessage` → the child's `parentPort` 'message' event (`e.data`);
 * the child's `parentPort.postMessage` → 'message' here with the message itself; 'spawn'; 'exit' with one
 * number (Electron reports the waitpid code and no signal name: for a child killed by a signal this gives the
 * signal's number); `kill()` → SIGTERM (Electron's kill terminates the process "gracefully" on POSIX).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { UtilityProcessLike } from '../../src-main/jobs/launcher';

export const PARENT_PORT_SHIM = join(__dirname, 'parent-port-shim.cjs');

class StandInUtilityProcess extends EventEmitter implements UtilityProcessLike {
  private readonly child: ChildProcess;
  /** Electron: the child's output streams with `stdio: 'pipe'`, else null. */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  constructor(modulePath: string, args: string[], options: Electron.ForkOptions) {
    super();
    this.child = fork(modulePath, args, {
      execArgv: ['--require', PARENT_PORT_SHIM, ...(options.execArgv ?? [])],
      env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      cwd: options.cwd,
      serialization: 'advanced',
      stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code, signal) => this.emit('exit', code ?? (signal ? constants.signals[signal] : 0)));
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }
  postMessage(message: unknown): void {
    this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

/** Same signature as `utilityProcess.fork`. */
export function forkUtilityProcess(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}): UtilityProcessLike {
  return new StandInUtilityProcess(modulePath, args, options);
}
