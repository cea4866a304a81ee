/** What every `bench` mode gets: the data, the seeds, the scikit-learn child and a log line writer. */
import type { DataMatrix } from '../../../src-shared/model';
import type { SklearnChild } from './sklearn-child';
import type { JobTimes } from './stats';

export interface BenchContext {
  /** MNIST rows 0 … n−1, uint8 pixels, n × 784 row-major. */
  X: DataMatrix;
  /** The true digits of those rows, length n. */
  labels: Int32Array;
  n: number;
  quick: boolean;
  seeds: number[];
  /** null when scikit-learn could not start: ours runs alone. */
  sk: SklearnChild | null;
  log: (s: string) => void;
}

/** One line of a mode's table. */
export interface BenchRow {
  job: string;
  times: JobTimes;
  note: string;
}

/** What a mode hands back: its rows, extra lines below the table, and its measurements for --json. */
export interface ModeResult {
  rows: BenchRow[];
  notes: string[];
  json: Record<string, unknown>;
}
