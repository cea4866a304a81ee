/**
 * `kmeans-explorer` command-line entry: a table of commands, each in src-main/cli/<command>.ts,
 * loaded only when used. Bad input (unknown option, bad parameter, unreadable or invalid file) is
 * one line on stderr and exit code 2; a cancelled run (Ctrl-C) exits with 130; anything else is a
 * bug and prints its stack with exit code 1.
 */
import type { CliCommand } from './cli/common';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ command: CliCommand }>;
  /** The command computes on the WASM kernels: their threads are started before its code loads. */
  kernels?: true;
}

const COMMANDS: Record<string, CommandEntry> = {
  cluster: { summary: 'cluster a dataset with K-means and print the result and its metrics', load: () => import('./cli/cluster'), kernels: true },
  score: { summary: 'compute every metric of a labeling made elsewhere', load: () => import('./cli/score'), kernels: true },
  embed: { summary: 'compute a 2-D map (PCA) of every row of a dataset', load: () => import('./cli/embed'), kernels: true },
  serve: { summary: 'browser mode: serve the app on 127.0.0.1 and print its URL', load: () => import('./cli/serve') },
  bench: { summary: 'time the engine against scikit-learn on MNIST (K-means, mini-batch, silhouette)', load: () => import('./cli/bench') },
};

const USER_ERRORS = new Set(['UsageError', 'DatasetError', 'ParamError', 'NewerDatabaseError']);

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: kmeans-explorer <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "kmeans-explorer <command> --help" for the options of a command.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`kmeans-explorer: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  try {
    // the kernel threads start (and compile the kernels) while the command's code and its dataset load: started
    // only once that code had loaded (80–100 ms later), they were not up yet when a fast load ended
    if (entry.kernels && !rest.includes('--help') && !rest.includes('-h')) {
      await import('./cli/kernel-threads').then((m) => m.startKernelThreads(), () => undefined);
    }
    const { command } = await entry.load();
    await command.run(rest);
    return 0;
  } catch (e) {
    const err = e as Error;
    if (USER_ERRORS.has(err?.name)) {
      const param = (err as Error & { param?: string }).param;
      const prefix = err.name === 'ParamError' && param ? `invalid --${kebab(param)}: ` : '';
      process.stderr.write(`kmeans-explorer ${name}: ${prefix}${err.message}\n`);
      return 2;
    }
    if (err?.name === 'CancelledError' || err?.name === 'AbortError') {
      process.stderr.write(`kmeans-explorer ${name}: cancelled\n`);
      return 130;
    }
    process.stderr.write(`kmeans-explorer ${name}: internal error\n${err?.stack ?? String(e)}\n`);
    return 1;
  }
}

function kebab(param: string): string {
  return param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly (engine thread pools must not keep the process alive), after stdout is flushed.
    process.stdout.write('', () => process.exit(code));
  },
  (e) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
