/**
 * The scikit-learn side of `bench`: a long-lived child (/usr/bin/python3 scripts/bench/sklearn_bench.py) with
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment, one JSON request / reply per line.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding scripts/bench/sklearn_bench.py), found above the running CLI. */
export function repoRoot(): string {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (let dir = dirname(here), i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'bench', 'sklearn_bench.py'))) return dir;
  }
  throw new Error('scripts/bench/sklearn_bench.py not found above the running CLI');
}

export interface SkInfo {
  sklearn: string;
  numpy: string;
  python: string;
  threadpools: Record<string, unknown>[];
  max_rss_mb: number;
}

/** One timed scikit-learn fit: wall and CPU seconds of the fit alone, its quality and the child's peak RSS. */
export interface SkFit {
  seconds: number;
  cpu_seconds: number;
  inertia: number;
  n_iter: number;
  max_rss_mb: number;
}

export class SklearnChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string, script: string) {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    this.child = spawn(python, [script], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (b: Buffer) => process.stderr.write(`[sklearn] ${b.toString()}`));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async call<T>(req: object): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('the scikit-learn process ended unexpectedly');
    const v = JSON.parse(r.value) as T & { error?: string };
    if (v.error) throw new Error(`scikit-learn: ${v.error}`);
    return v;
  }

  close(): void {
    this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
  }
}

/** The scikit-learn child with its versions, or why it could not start (then ours runs alone). */
export type SklearnSide = { sk: SklearnChild; info: SkInfo; missing: null } | { sk: null; info: null; missing: string };

export async function startSklearn(python: string, log: (s: string) => void): Promise<SklearnSide> {
  const probe = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const missing = `scikit-learn is not available at ${python} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}); install Debian's python3-sklearn. Running ours alone.`;
    log(missing);
    return { sk: null, info: null, missing };
  }
  const sk = new SklearnChild(python, join(repoRoot(), 'scripts', 'bench', 'sklearn_bench.py'));
  return { sk, info: await sk.call<SkInfo>({ op: 'info' }), missing: null };
}
