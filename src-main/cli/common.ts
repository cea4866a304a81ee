/**
 * Helpers shared by the CLI commands: option parsing with one-line errors, dataset loading,
 * a live progress line on stderr, and number formatting.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Dataset, Metrics } from '../../src-shared/model';
import { DatasetError } from '../datasets/errors';
import { loadDatasetFromPath } from '../datasets/load';
import { loadMnist } from '../datasets/mnist';
import { kernelDataBytes } from '../engine/kernels/default';
import { startKernelThreads } from './kernel-threads';

/** A command of the CLI: `kmeans-explorer <name> [options]`. */
export interface CliCommand {
  /** The text printed by `<name> --help`. */
  help: string;
  /** Runs the command; throws UsageError, DatasetError or ParamError for bad input (exit code 2). */
  run(argv: string[]): Promise<void>;
}

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses options strictly (no positionals); every parse error becomes one UsageError line. */
export function parseOptions<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? '';
    const hint = `see "kmeans-explorer ${command} --help"`;
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${quoted}; ${hint}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        if (/ambiguous/.test(err.message)) throw new UsageError(`option ${quoted}: write a value that starts with "-" as ${quoted}=VALUE`);
        throw new UsageError(`option ${quoted.replace(/ <value>$/, '')} needs a value; ${hint}`);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`unexpected argument "${quoted}"; ${hint}`);
      default:
        throw new UsageError(`${err.message}; ${hint}`);
    }
  }
}

/** Option declarations for parseOptions: every name a string-valued option. */
export function stringOptions<const N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

/** An integer option, or undefined when absent. */
export function intOption(name: string, value: string | undefined, min = -Infinity): number | undefined {
  if (value === undefined) return undefined;
  const v = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(v)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  if (v < min) throw new UsageError(`--${name} must be ≥ ${min}, got ${v}`);
  return v;
}

/** A number option, or undefined when absent. */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return v;
}

/** One of a fixed set of values, or undefined when absent. */
export function choiceOption<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

/**
 * An option that has a second name (scikit-learn's: --n-clusters for --k, --random-state for --seed): the value
 * under either name; both names with different values is an error.
 */
export function aliasedOption(o: Record<string, unknown>, name: string, alias: string): string | undefined {
  const a = o[name] as string | undefined;
  const b = o[alias] as string | undefined;
  if (a !== undefined && b !== undefined && a !== b) throw new UsageError(`--${name} ${a} and --${alias} ${b} disagree; give one of them`);
  return a ?? b;
}

export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${name}; see "kmeans-explorer ${command} --help"`);
  return value;
}

/** `mnist` (built in) or a path to a dataset file. */
export async function loadDatasetArg(
  spec: string,
  opts: { trueLabels?: string; labelColumn?: string; onProgress?: (fraction: number) => void } = {},
): Promise<Dataset> {
  if (spec.toLowerCase() === 'mnist') {
    if (opts.trueLabels) throw new UsageError('--true-labels cannot be used with the built-in MNIST, which has its labels');
    // read straight into the kernels' memory, where the fit reads it
    return loadMnist(undefined, kernelDataBytes);
  }
  return loadDatasetFromPath(spec, { labels: opts.trueLabels, labelColumn: opts.labelColumn, onProgress: opts.onProgress });
}

/**
 * A progress line on stderr, rewritten in place, only when stderr is a terminal (so logs and
 * pipes stay clean). Updates are throttled to 10 per second.
 */
export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly enabled = Boolean(process.stderr.isTTY);

  update(text: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = process.stderr.columns ? process.stderr.columns - 1 : 100;
    process.stderr.write(`\r\x1b[K${text.slice(0, width)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** Seconds since `start` (a performance.now() value), 3 decimals. */
export function secondsSince(start: number): number {
  return Math.round(performance.now() - start) / 1000;
}

/** What a command that loads a dataset and computes on it works with: see {@link withDatasetLoad}. */
export interface LoadedCommand {
  /** Where the summary goes: stderr when the JSON goes to stdout (`--json -`), else stdout. */
  out: NodeJS.WritableStream;
  progress: ProgressLine;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
  ds: Dataset;
  loadSeconds: number;
}

/**
 * The prologue and epilogue of a command that loads a dataset: the summary stream, a progress line, Ctrl-C as an
 * abort signal, and the load with its progress; then `body`, and the progress line and the Ctrl-C handler are
 * cleared whatever happens.
 */
export async function withDatasetLoad<T>(
  spec: string,
  opts: { json: string | undefined; trueLabels?: string; labelColumn?: string },
  body: (c: LoadedCommand) => Promise<T>,
): Promise<T> {
  const out = opts.json === '-' ? process.stderr : process.stdout;
  const progress = new ProgressLine();
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    // (the CLI entry has started them already, before this command's code loaded; this is for other callers)
    startKernelThreads();
    const t = performance.now();
    progress.update(`loading ${spec}…`);
    const ds = await loadDatasetArg(spec, {
      trueLabels: opts.trueLabels,
      labelColumn: opts.labelColumn,
      onProgress: (f) => progress.update(`loading ${spec} ${(f * 100).toFixed(0)}%`),
    });
    const loadSeconds = secondsSince(t);
    progress.clear();
    return await body({ out, progress, signal: controller.signal, ds, loadSeconds });
  } finally {
    progress.clear();
    process.off('SIGINT', onSigint);
  }
}

/** A number for a summary line: 4 significant digits, exponent for large/small values. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(4);
  return Number(v.toPrecision(4)).toString();
}

/** The two-column summary lines of a labeling's metrics. */
export function metricLines(m: Metrics, silhouetteNote: string | null): [string, string][] {
  const lines: [string, string][] = [['inertia', fmt(m.inertia)]];
  lines.push(['silhouette', m.silhouette === null ? `— ${silhouetteNote ?? ''}`.trim() : `${fmt(m.silhouette)}${silhouetteNote ? ` ${silhouetteNote}` : ''}`]);
  lines.push(['Davies-Bouldin', fmt(m.daviesBouldin)]);
  lines.push(['Calinski-Harabasz', fmt(m.calinskiHarabasz)]);
  if (m.ari !== null) {
    lines.push(['ARI', fmt(m.ari)], ['NMI', fmt(m.nmi)], ['AMI', fmt(m.ami)]);
    lines.push(['homogeneity', fmt(m.homogeneity)], ['completeness', fmt(m.completeness)], ['V-measure', fmt(m.vMeasure)]);
    lines.push(['purity', fmt(m.purity)], ['accuracy', `${fmt(m.accuracy)} (best one-to-one match of clusters to labels)`]);
  }
  return lines;
}

export function printTable(rows: [string, string][], out: NodeJS.WritableStream): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.write(`${k.padEnd(width)}  ${v}\n`);
}

export function describeDataset(ds: Dataset): string {
  const classes = ds.labelNames ? `, ${ds.labelNames.length} classes` : ', no labels';
  const image = ds.imageShape ? `, images ${ds.imageShape[0]}×${ds.imageShape[1]}${ds.imageShape[2] > 1 ? `×${ds.imageShape[2]}` : ''}` : '';
  return `${ds.name} (${ds.source}): ${ds.n} × ${ds.d} ${ds.dtype}${image}${classes}`;
}

/** Writes the JSON result to a file, or to stdout for "-". */
export function writeJson(path: string, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`;
  if (path === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write --json ${path}: ${(e as Error).message}`);
  }
}

/** Metrics in the JSON layout (every external metric, null without true labels). */
export function metricsJson(m: Metrics) {
  return {
    ari: m.ari, nmi: m.nmi, ami: m.ami, homogeneity: m.homogeneity, completeness: m.completeness, vMeasure: m.vMeasure,
    purity: m.purity, accuracy: m.accuracy, daviesBouldin: m.daviesBouldin, calinskiHarabasz: m.calinskiHarabasz,
  };
}

/** k × d centers as k arrays of d numbers. */
export function rowsOf(flat: Float64Array, d: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += d) out.push(Array.from(flat.subarray(i, i + d)));
  return out;
}

export { DatasetError };
