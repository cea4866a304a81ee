/** The printed report of `bench`: machine line, versions, one markdown table, the mode's notes. */
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { BenchRow } from './context';
import type { SkInfo } from './sklearn-child';
import { markdownTable, median, sec } from './stats';
import { nativeKernelStatus } from '../../engine/kernels/native';

/** Which native kernels this process runs (native.ts), for the machine line: "native kernels avx2", or off and why. */
export function nativeLine(): string {
  const s = nativeKernelStatus();
  return s.active ? `native kernels ${s.features}` : `native kernels off (${s.reason})`;
}

export function machine(): { cpu: string; threads: number; memGiB: number; node: string; native: ReturnType<typeof nativeKernelStatus> } {
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU', threads: availableParallelism(), memGiB: totalmem() / 2 ** 30, node: process.versions.node,
    native: nativeKernelStatus(),
  };
}

export function report(rows: BenchRow[], notes: string[], skInfo: SkInfo | null, skMissing: string | null): string {
  const m = machine();
  const lines: string[] = [];
  lines.push(`Machine: ${m.cpu}, ${m.threads} threads, ${m.memGiB.toFixed(0)} GiB, Node ${m.node} (V8 ${process.versions.v8}); ${nativeLine()}`);
  if (skInfo) {
    const pools = skInfo.threadpools.map((p) => Object.values(p).filter((v) => v !== null).join(' ')).join('; ');
    lines.push(`scikit-learn ${skInfo.sklearn}, numpy ${skInfo.numpy}, Python ${skInfo.python}; threadpoolctl: ${pools}`);
  } else {
    lines.push(skMissing ?? 'scikit-learn not run');
  }
  lines.push('');
  const header = ['job', 'ours (median s)', 'scikit-learn (median s)', 'speed-up', 'CPU s ours / sklearn (medians)', 'quality'];
  const table = rows
    .filter((r) => r.times.ours.length > 0)
    .map((r) => {
      const a = median(r.times.ours);
      const b = median(r.times.sklearn);
      const cpu = `${sec(median(r.times.oursCpu))} / ${sec(median(r.times.sklearnCpu))}`;
      return [r.job, sec(a), sec(b), Number.isNaN(b) ? '—' : `${(b / a).toFixed(1)}×`, cpu, r.note];
    });
  if (table.length) lines.push(...markdownTable(header, table), '');
  lines.push(...notes);
  return `${lines.join('\n')}\n`;
}
