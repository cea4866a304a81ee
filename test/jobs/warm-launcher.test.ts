/** The warm launcher with real worker processes: one spare ready while idle, a fresh process per job. */
import { afterEach, describe, expect, it } from 'vitest';
import { ChildProcessLauncher, type WorkerExit, type WorkerHandle } from '../../src-main/jobs/launcher';
import { WarmLauncher } from '../../src-main/jobs/warm-launcher';

const alive = (pid: number | undefined): boolean => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};
const exitOf = (h: WorkerHandle): Promise<WorkerExit> => new Promise((r) => h.onExit(r));

/** The pids the inner launcher started, in order. */
function counting(): { launcher: ChildProcessLauncher; pids: (number | undefined)[]; handles: WorkerHandle[] } {
  const launcher = new ChildProcessLauncher();
  const pids: (number | undefined)[] = [];
  const handles: WorkerHandle[] = [];
  const launch = launcher.launch.bind(launcher);
  launcher.launch = () => {
    const h = launch();
    pids.push(h.pid);
    handles.push(h);
    return h;
  };
  return { launcher, pids, handles };
}

let warm: WarmLauncher | null = null;
afterEach(() => warm?.close());

describe('WarmLauncher', () => {
  it('hands out the spare started while idle, prepares the next only after that worker exits, and kills the spare on close', async () => {
    const inner = counting();
    warm = new WarmLauncher(inner.launcher);
    expect(inner.pids).toHaveLength(1); // the spare, started at once
    const first = warm.launch();
    expect(first.pid).toBe(inner.pids[0]);
    expect(inner.pids).toHaveLength(1); // no second process while the job runs
    const exited = exitOf(first);
    first.kill();
    await exited;
    expect(inner.pids).toHaveLength(2); // a fresh spare for the next job
    expect(inner.pids[1]).not.toBe(inner.pids[0]);
    expect(alive(inner.pids[1])).toBe(true);
    const spareExit = exitOf(inner.handles[1]);
    warm.close();
    await spareExit;
    expect(alive(inner.pids[1])).toBe(false);
  }, 30_000);

  it('replaces a spare that died while it waited with a fresh process', async () => {
    const inner = counting();
    warm = new WarmLauncher(inner.launcher);
    const died = exitOf(inner.handles[0]);
    inner.handles[0].kill();
    await died;
    const job = warm.launch();
    expect(job.pid).not.toBe(inner.pids[0]);
    expect(alive(job.pid)).toBe(true);
    const exited = exitOf(job);
    job.kill();
    await exited;
  }, 30_000);
});
