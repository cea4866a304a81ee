/**
 * Clustering parameters: scikit-learn 1.2 defaults, validated once at the engine's public entry by the rules of
 * the one parameter table (src-shared/params.ts).
 */
import type { KMeansParams } from '../../src-shared/model';
import { autoNInit, DEFAULT_PARAMS, MINIBATCH_DEFAULTS } from '../../src-shared/defaults';
import { ALGORITHMS, PARAM_NAMES, PARAM_RULES, type IntegerRule, type NumberRule } from '../../src-shared/params';
import { ParamError } from './errors';

export { DEFAULT_PARAMS, MINIBATCH_DEFAULTS } from '../../src-shared/defaults';

const KEYS = new Set<string>(PARAM_NAMES);

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

  integerIn('k', p.k, { ...PARAM_RULES.k, max: n }, `[1, n=${n}]`);
  const inits = PARAM_RULES.init.values;
  if (!inits.includes(p.init)) throw new ParamError('init', `init must be one of ${inits.join(', ')}, got ${show(p.init)}`);
  if (p.nInit !== 'auto') integerIn('nInit', p.nInit, PARAM_RULES.nInit);
  integerIn('maxIter', p.maxIter, PARAM_RULES.maxIter);
  finiteIn('tol', p.tol, PARAM_RULES.tol);
  integerIn('seed', p.seed, PARAM_RULES.seed);
  integerIn('batchSize', p.batchSize, PARAM_RULES.batchSize);
  integerIn('maxNoImprovement', p.maxNoImprovement, PARAM_RULES.maxNoImprovement);
  finiteIn('reassignmentRatio', p.reassignmentRatio, PARAM_RULES.reassignmentRatio);
  if (p.initSize !== null) integerIn('initSize', p.initSize, PARAM_RULES.initSize);
  return p;
}

/** Number of initialisations actually run ('auto': see autoNInit). */
export function effectiveNInit(p: KMeansParams): number {
  return p.nInit !== 'auto' ? p.nInit : autoNInit(p.algorithm, p.init);
}

/** The message names the bound the value broke (`≥ 1`, `≤ 1000`), or the whole range when both bounds are shown. */
function integerIn(name: string, v: unknown, rule: Pick<IntegerRule, 'min' | 'max' | 'alt'>, range?: string): void {
  if (typeof v === 'number' && Number.isInteger(v) && v >= rule.min && v <= rule.max) return;
  const alt = rule.alt === undefined ? '' : `${String(rule.alt === null ? 'null' : `'${rule.alt}'`)} or `;
  const bound = range ?? (typeof v === 'number' && v > rule.max ? `≤ ${rule.max}` : `≥ ${rule.min}`);
  const what = `${name} must be ${alt}an integer ${bound.startsWith('[') ? 'in ' : ''}${bound}`;
  throw new ParamError(name, `${what}, got ${show(v)}`);
}

function finiteIn(name: string, v: unknown, rule: Pick<NumberRule, 'min' | 'max'>): void {
  if (typeof v === 'number' && Number.isFinite(v) && v >= rule.min && v <= rule.max) return;
  const bound = typeof v === 'number' && v > rule.max ? `≤ ${rule.max}` : `≥ ${rule.min}`;
  throw new ParamError(name, `${name} must be a finite number ${bound}, got ${show(v)}`);
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
