/**
 * Clustering parameters: scikit-learn 1.2 defaults, validated once at the engine's public entry.
 */
import type { Algorithm, InitMethod, KMeansParams } from '../../src-shared/model';
import { autoNInit, DEFAULT_PARAMS, MINIBATCH_DEFAULTS } from '../../src-shared/defaults';
import { ParamError } from './errors';

export { DEFAULT_PARAMS, MINIBATCH_DEFAULTS } from '../../src-shared/defaults';

const ALGORITHMS: readonly Algorithm[] = ['kmeans', 'minibatch'];
const INITS: readonly InitMethod[] = ['k-means++', 'random'];
const KEYS = new Set<string>(['k', ...Object.keys(DEFAULT_PARAMS)]);

/**
 * Fills in defaults and validates every parameter against a dataset of n rows.
 * Throws ParamError naming the first bad parameter. nInit stays 'auto' when so given (see effectiveNInit).
 */
export function resolveParams(partial: Partial<KMeansParams> & { k: number }, n: number): KMeansParams {
  if (partial === null || typeof partial !== 'object') throw new ParamError('params', 'params must be an object');
  for (const key of Object.keys(partial)) {
    if (!KEYS.has(key)) throw new ParamError(key, `unknown parameter ${key}`);
  }
  if (!Number.isInteger(n) || n < 1) throw new ParamError('n', `the data must have at least one row, got n=${String(n)}`);

  const algorithm = partial.algorithm ?? DEFAULT_PARAMS.algorithm;
  if (!ALGORITHMS.includes(algorithm)) {
    throw new ParamError('algorithm', `algorithm must be one of ${ALGORITHMS.join(', ')}, got ${show(algorithm)}`);
  }
  const mb = algorithm === 'minibatch';
  const p: KMeansParams = {
    algorithm,
    k: partial.k,
    init: partial.init ?? DEFAULT_PARAMS.init,
    nInit: partial.nInit ?? DEFAULT_PARAMS.nInit,
    maxIter: partial.maxIter ?? (mb ? MINIBATCH_DEFAULTS.maxIter : DEFAULT_PARAMS.maxIter),
    tol: partial.tol ?? (mb ? MINIBATCH_DEFAULTS.tol : DEFAULT_PARAMS.tol),
    seed: partial.seed ?? DEFAULT_PARAMS.seed,
    batchSize: partial.batchSize ?? DEFAULT_PARAMS.batchSize,
    maxNoImprovement: partial.maxNoImprovement ?? DEFAULT_PARAMS.maxNoImprovement,
    reassignmentRatio: partial.reassignmentRatio ?? DEFAULT_PARAMS.reassignmentRatio,
    initSize: partial.initSize === undefined ? DEFAULT_PARAMS.initSize : partial.initSize,
  };

  integerIn('k', p.k, 1, n, `[1, n=${n}]`);
  if (!INITS.includes(p.init)) throw new ParamError('init', `init must be one of ${INITS.join(', ')}, got ${show(p.init)}`);
  if (p.nInit !== 'auto') integerIn('nInit', p.nInit, 1, Infinity, "'auto' or an integer ≥ 1", true);
  integerIn('maxIter', p.maxIter, 1, Infinity, '≥ 1');
  if (typeof p.tol !== 'number' || !Number.isFinite(p.tol) || p.tol < 0) {
    throw new ParamError('tol', `tol must be a finite number ≥ 0, got ${show(p.tol)}`);
  }
  integerIn('seed', p.seed, 0, 4294967295, '[0, 2^32 − 1]');
  integerIn('batchSize', p.batchSize, 1, Infinity, '≥ 1');
  integerIn('maxNoImprovement', p.maxNoImprovement, 0, Infinity, '≥ 0');
  if (typeof p.reassignmentRatio !== 'number' || !Number.isFinite(p.reassignmentRatio) || p.reassignmentRatio < 0) {
    throw new ParamError('reassignmentRatio', `reassignmentRatio must be a finite number ≥ 0, got ${show(p.reassignmentRatio)}`);
  }
  if (p.initSize !== null) integerIn('initSize', p.initSize, 1, Infinity, 'null or an integer ≥ 1', true);
  return p;
}

/** Number of initialisations actually run ('auto': see autoNInit). */
export function effectiveNInit(p: KMeansParams): number {
  return p.nInit !== 'auto' ? p.nInit : autoNInit(p.algorithm, p.init);
}

function integerIn(name: string, v: unknown, lo: number, hi: number, range: string, bare = false): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    const what = bare ? `${name} must be ${range}` : `${name} must be an integer ${range.startsWith('[') ? 'in ' : ''}${range}`;
    throw new ParamError(name, `${what}, got ${show(v)}`);
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
