/** UtilityProcessLauncher on its own, over the stand-in fork (a real Node child running the worker entry). */
import { describe, expect, it } from 'vitest';
import { UtilityProcessLauncher, type WorkerExit } from '../../src-main/jobs/launcher';
import { forkUtilityProcess } from './utility-process-stand-in';

describe('UtilityProcessLauncher', () => {
  it('kill() ends the worker with SIGKILL, not the SIGTERM of UtilityProcess.kill()', async () => {
    const worker = new UtilityProcessLauncher({ fork: forkUtilityProcess }).launch();
    const pid = worker.pid;
    expect(pid).toBeGreaterThan(0);
    const exited = new Promise<WorkerExit>((resolve) => worker.onExit(resolve));
    worker.kill();
    // the stand-in reports a signal death as the signal's number, as Electron reports waitpid's code
    expect(await exited).toEqual({ code: 9, signal: null });
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});
