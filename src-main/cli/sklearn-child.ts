/** The scikit-learn side of `bench`: a long-lived Python child (scripts/bench/sklearn_bench.py), one JSON request / reply a line. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (let dir = dirname(here), i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'bench', 'sklearn_bench.py'))) return dir;
  }
  throw new Error('scripts/bench/sklearn_bench.py not found above the running CLI');
}

/** The scikit-learn child, one JSON request / reply per line. */
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

export interface SkInfo {
  sklearn: string;
  numpy: string;
  python: string;
  threadpools: Record<string, unknown>[];
  max_rss_mb: number;
}
