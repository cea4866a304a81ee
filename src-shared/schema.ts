/**
 * Runtime validators of every request payload in api.ts. Main calls {@link validateRequest} before any
 * handler runs; a bad payload is answered `bad-request` with a message naming the field
 * (e.g. `runs/start: params.k must be an integer ≥ 1`). Range checks that need the data (k ≤ n) are
 * left to the services; engine parameters are also checked again by the engine's `resolveParams`.
 *
 * No dependencies, no Node or DOM imports.
 */
import type { RequestName, RequestOf, SilhouetteEstimate } from './api';
import { COMPUTE_SILHOUETTE_MODES, EMBEDDING_METHODS, MAX_IMPORT_FILES, MAX_SAMPLES, UPLOAD_ID_PATTERN } from './api';
import {
  COLOR_MODES, MAX_SEED, MIN_SILHOUETTE_SAMPLE, PARAM_NAMES, PARAM_RULES, PREPROCESSING_MODES, RUN_STATUSES, SILHOUETTE_MODES, type ParamRule,
} from './params';
import { MAX_SWEEP_K, MAX_SWEEP_KS, MAX_SWEEP_RUNS, MAX_SWEEP_SEEDS } from './k-list';

export class ValidationError extends Error {
  constructor(readonly field: string, detail: string) {
    super(`${field} ${detail}`);
    this.name = 'ValidationError';
  }
}

type Obj = Record<string, unknown>;

function fail(field: string, detail: string): never {
  throw new ValidationError(field, detail);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

function object(v: unknown, field: string, allowed: readonly string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    fail(field, `must be an object, got ${describe(v)}`);
  }
  for (const key of Object.keys(v as Obj)) {
    if (!allowed.includes(key)) fail(field ? `${field}.${key}` : key, 'is not a known field');
  }
  return v as Obj;
}

function integer(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(field, `must be an integer in [${min}, ${max}], got ${describe(v)}`);
  }
  return v;
}

function finite(v: unknown, field: string, min = -Infinity, max = Infinity, exclusiveMin = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (exclusiveMin && v === min)) {
    fail(field, `must be a number ${exclusiveMin ? '>' : '≥'} ${min}${max < Infinity ? ` and ≤ ${max}` : ''}, got ${describe(v)}`);
  }
  return v;
}

function string(v: unknown, field: string, maxLength = 10_000, nonEmpty = true): string {
  if (typeof v !== 'string') fail(field, `must be a string, got ${describe(v)}`);
  if (nonEmpty && v.trim() === '') fail(field, 'must not be empty');
  if (v.length > maxLength) fail(field, `must be at most ${maxLength} characters`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) {
    fail(field, `must be one of ${values.map((x) => `'${x}'`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

function array(v: unknown, field: string, minLength: number, maxLength: number): unknown[] {
  if (!Array.isArray(v)) fail(field, `must be an array, got ${describe(v)}`);
  if (v.length < minLength || v.length > maxLength) {
    fail(field, `must have ${minLength} to ${maxLength} elements, got ${v.length}`);
  }
  return v;
}

function optional<T>(o: Obj, key: string, field: string, check: (v: unknown, f: string) => T): void {
  if (o[key] !== undefined) check(o[key], `${field}${key}`);
}

function id(v: unknown, field: string): number {
  return integer(v, field, 1);
}

const idOnly = (p: unknown): void => {
  const o = object(p, '', ['id']);
  id(o.id, 'id');
};

const empty = (p: unknown): void => {
  if (p === undefined || p === null) return;
  object(p, '', []);
};

/** Checks the types and ranges of engine parameters (all optional here), by the rules of PARAM_RULES. */
function params(v: unknown, field: string, requireK: boolean): void {
  const o = object(v, field, PARAM_NAMES);
  for (const name of PARAM_NAMES) {
    if (o[name] === undefined && !(name === 'k' && requireK)) continue;
    paramValue(o[name], `${field}.${name}`, PARAM_RULES[name]);
  }
}

function paramValue(x: unknown, field: string, rule: ParamRule): void {
  if (rule.kind === 'choice') oneOf(x, field, rule.values);
  else if (rule.kind === 'number') finite(x, field, rule.min, rule.max);
  else if (!('alt' in rule && x === rule.alt)) integer(x, field, rule.min, Math.min(rule.max, Number.MAX_SAFE_INTEGER));
}

function silhouetteOptions(v: unknown, field: string): void {
  const s = object(v, field, ['mode', 'sampleSize']);
  oneOf(s.mode, `${field}.mode`, SILHOUETTE_MODES);
  if (s.sampleSize !== undefined) integer(s.sampleSize, `${field}.sampleSize`, MIN_SILHOUETTE_SAMPLE);
}

function importOptions(v: unknown, field: string): void {
  const o = object(v, field, ['name', 'labelColumn', 'color']);
  const f = `${field}.`;
  optional(o, 'name', f, (x, n) => string(x, n, 200));
  optional(o, 'labelColumn', f, (x, n) => string(x, n, 200));
  optional(o, 'color', f, (x, n) => oneOf(x, n, COLOR_MODES));
}

/** An upload id or a client-chosen import id (see UPLOAD_ID_PATTERN). */
function token(v: unknown, field: string): string {
  if (typeof v !== 'string' || !UPLOAD_ID_PATTERN.test(v)) fail(field, `must be 1 to 64 letters, digits or '-', got ${describe(v)}`);
  return v;
}

type Validator = (payload: unknown) => void;

function embeddingRequest(p: unknown): void {
  const o = object(p, '', ['datasetId', 'method', 'preprocessing', 'seed']);
  id(o.datasetId, 'datasetId');
  oneOf(o.method, 'method', EMBEDDING_METHODS);
  optional(o, 'preprocessing', '', (x, n) => oneOf(x, n, PREPROCESSING_MODES));
  optional(o, 'seed', '', (x, n) => integer(x, n, 0, MAX_SEED));
}

/** One validator per request: a missing one is a compile error. */
const validators: { [K in RequestName]: Validator } = {
  'app/info': empty,
  'datasets/list': empty,
  'datasets/get': idOnly,
  'datasets/delete': idOnly,
  'datasets/import': (p) => {
    const o = object(p, '', ['paths', 'files', 'uploads', 'options', 'importId']);
    if ([o.paths, o.files, o.uploads].filter((x) => x !== undefined).length !== 1) fail('paths', 'or files or uploads must be given (exactly one)');
    if (o.paths !== undefined) {
      array(o.paths, 'paths', 1, 100).forEach((x, i) => string(x, `paths[${i}]`, 4096));
    } else if (o.files !== undefined) {
      array(o.files, 'files', 1, MAX_IMPORT_FILES).forEach((x, i) => {
        const file = object(x, `files[${i}]`, ['name', 'bytes']);
        string(file.name, `files[${i}].name`, 1000);
        // a real typed array (ArrayBuffer.isView checks the internal slot), not an object with its prototype
        if (!(ArrayBuffer.isView(file.bytes) && file.bytes instanceof Uint8Array)) fail(`files[${i}].bytes`, `must be a Uint8Array, got ${describe(file.bytes)}`);
      });
    } else {
      const seen = new Set<string>();
      array(o.uploads, 'uploads', 1, MAX_IMPORT_FILES).forEach((x, i) => {
        const up = object(x, `uploads[${i}]`, ['name', 'uploadId']);
        string(up.name, `uploads[${i}].name`, 1000);
        const uploadId = token(up.uploadId, `uploads[${i}].uploadId`);
        if (seen.has(uploadId)) fail(`uploads[${i}].uploadId`, 'names an upload already named before');
        seen.add(uploadId);
      });
    }
    if (o.options !== undefined) importOptions(o.options, 'options');
    optional(o, 'importId', '', token);
  },
  'imports/list': empty,
  'imports/cancel': (p) => {
    const o = object(p, '', ['importId']);
    token(o.importId, 'importId');
  },
  'datasets/samples': (p) => {
    const o = object(p, '', ['id', 'indices']);
    id(o.id, 'id');
    array(o.indices, 'indices', 0, MAX_SAMPLES).forEach((x, i) => integer(x, `indices[${i}]`, 0));
  },
  'runs/start': (p) => {
    const o = object(p, '', ['datasetId', 'params', 'silhouette', 'name', 'preprocessing', 'sweep']);
    id(o.datasetId, 'datasetId');
    params(o.params, 'params', o.sweep === undefined);
    if (o.silhouette !== undefined) silhouetteOptions(o.silhouette, 'silhouette');
    if (o.name !== undefined) string(o.name, 'name', 200);
    optional(o, 'preprocessing', '', (x, n) => oneOf(x, n, PREPROCESSING_MODES));
    if (o.sweep !== undefined) {
      const s = object(o.sweep, 'sweep', ['ks', 'seeds']);
      const ks = array(s.ks, 'sweep.ks', 1, MAX_SWEEP_KS).map((x, i) => integer(x, `sweep.ks[${i}]`, 1, MAX_SWEEP_K));
      if (new Set(ks).size !== ks.length) fail('sweep.ks', 'must not repeat a k');
      if (s.seeds !== undefined) {
        const seeds = array(s.seeds, 'sweep.seeds', 1, MAX_SWEEP_SEEDS).map((x, i) => integer(x, `sweep.seeds[${i}]`, 0, MAX_SEED));
        if (new Set(seeds).size !== seeds.length) fail('sweep.seeds', 'must not repeat a seed');
        if (ks.length * seeds.length > MAX_SWEEP_RUNS) fail('sweep', `asks for ${ks.length * seeds.length} runs; at most ${MAX_SWEEP_RUNS}`);
      }
    }
  },
  'runs/list': (p) => {
    if (p === undefined || p === null) return;
    const o = object(p, '', ['datasetId', 'sweepId', 'status']);
    optional(o, 'datasetId', '', id);
    optional(o, 'sweepId', '', (x, n) => string(x, n, 100));
    optional(o, 'status', '', (x, n) => array(x, n, 1, RUN_STATUSES.length).forEach((s, i) => oneOf(s, `${n}[${i}]`, RUN_STATUSES)));
  },
  'runs/get': idOnly,
  'runs/delete': idOnly,
  'runs/retry': idOnly,
  'runs/stability': (p) => {
    const o = object(p, '', ['sweepId']);
    string(o.sweepId, 'sweepId', 100);
  },
  'runs/rename': (p) => {
    const o = object(p, '', ['id', 'name']);
    id(o.id, 'id');
    string(o.name, 'name', 200);
  },
  'runs/cancel': idOnly,
  'runs/computeSilhouette': (p) => {
    const o = object(p, '', ['runId', 'mode', 'sampleSize']);
    id(o.runId, 'runId');
    oneOf(o.mode, 'mode', COMPUTE_SILHOUETTE_MODES);
    if (o.sampleSize !== undefined) {
      if (o.mode !== 'sample') fail('sampleSize', "goes with mode 'sample'");
      integer(o.sampleSize, 'sampleSize', MIN_SILHOUETTE_SAMPLE);
    }
  },
  'runs/arrays': (p) => {
    const o = object(p, '', ['id', 'include']);
    id(o.id, 'id');
    optional(o, 'include', '', (x, n) =>
      array(x, n, 0, 4).forEach((s, i) => oneOf(s, `${n}[${i}]`, ['centers', 'labels', 'silhouette', 'history'] as const)),
    );
  },
  'runs/contingency': idOnly,
  'runs/silhouetteHistogram': (p) => {
    const o = object(p, '', ['id', 'bins']);
    id(o.id, 'id');
    optional(o, 'bins', '', (x, n) => integer(x, n, 2, 200));
  },
  'runs/members': (p) => {
    const o = object(p, '', ['id', 'cluster', 'sortBy', 'order', 'limit', 'offset', 'withRows']);
    id(o.id, 'id');
    integer(o.cluster, 'cluster', 0);
    oneOf(o.sortBy, 'sortBy', ['distance', 'silhouette'] as const);
    oneOf(o.order, 'order', ['asc', 'desc'] as const);
    integer(o.limit, 'limit', 1, MAX_SAMPLES);
    optional(o, 'offset', '', (x, n) => integer(x, n, 0));
    optional(o, 'withRows', '', (x, n) => {
      if (typeof x !== 'boolean') fail(n, `must be a boolean, got ${describe(x)}`);
    });
  },
  'runs/compare': (p) => {
    const o = object(p, '', ['a', 'b']);
    id(o.a, 'a');
    id(o.b, 'b');
  },
  'runs/importLabeling': (p) => {
    const o = object(p, '', ['datasetId', 'file', 'name', 'silhouette']);
    id(o.datasetId, 'datasetId');
    const file = object(o.file, 'file', ['name', 'bytes']);
    string(file.name, 'file.name', 1000);
    if (!(file.bytes instanceof Uint8Array)) fail('file.bytes', `must be a Uint8Array, got ${describe(file.bytes)}`);
    optional(o, 'name', '', (x, n) => string(x, n, 200));
    if (o.silhouette !== undefined) silhouetteOptions(o.silhouette, 'silhouette');
  },
  'runs/export': idOnly,
  'runs/profiles': idOnly,
  'queue/get': empty,
  'embeddings/get': embeddingRequest,
  'embeddings/cancel': embeddingRequest,
};

export type Validation<K extends RequestName> = { ok: true; value: RequestOf<K> } | { ok: false; message: string };

/** Checks `payload` against request `name`; the message starts with the request name and names the field. */
export function validateRequest<K extends RequestName>(name: K, payload: unknown): Validation<K> {
  const validator = validators[name] as Validator | undefined;
  if (!validator) return { ok: false, message: `unknown request ${String(name)}` };
  try {
    validator(payload);
    return { ok: true, value: (payload ?? {}) as RequestOf<K> };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, message: `${name}: ${e.message.replace(/^ /, 'payload ')}` };
    throw e;
  }
}

/**
 * Whether `v` is a {@link SilhouetteEstimate} as the worker sends it: a mean in [−1, 1], a finite half-width ≥ 0 that
 * is 0 exactly when every row is in, and 1 ≤ rows ≤ total, both integers. Main drops anything else from a progress report.
 */
export function validSilhouetteEstimate(v: unknown): v is SilhouetteEstimate {
  if (v === null || typeof v !== 'object') return false;
  const { mean, halfWidth, rows, total } = v as Record<string, unknown>;
  if (typeof mean !== 'number' || typeof halfWidth !== 'number' || typeof rows !== 'number' || typeof total !== 'number') return false;
  if (!(Number.isInteger(rows) && Number.isInteger(total) && rows >= 1 && rows <= total)) return false;
  if (!(mean >= -1 && mean <= 1 && Number.isFinite(halfWidth) && halfWidth >= 0)) return false;
  return (halfWidth === 0) === (rows === total);
}
