/**
 * The one table of parameter rules: the runtime schema (the contract's edge) and the engine's resolveParams
 * accept and refuse the same values at every bound the table gives.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../src-shared/schema';
import { PARAM_NAMES, PARAM_RULES, type ParamName } from '../../src-shared/params';
import { DEFAULT_PARAMS } from '../../src-shared/defaults';
import { resolveParams } from '../../src-main/engine/params';

const N = 50;

function schemaAccepts(name: ParamName, value: unknown): boolean {
  return validateRequest('runs/start', { datasetId: 1, params: { k: 2, [name]: value } }).ok;
}

function engineAccepts(name: ParamName, value: unknown): boolean {
  try {
    resolveParams({ k: 2, [name]: value } as never, N);
    return true;
  } catch {
    return false;
  }
}

describe('PARAM_RULES', () => {
  it('has a rule and a default for every parameter but k', () => {
    expect(PARAM_NAMES.filter((n) => n !== 'k').sort()).toEqual(Object.keys(DEFAULT_PARAMS).sort());
  });

  for (const name of PARAM_NAMES.filter((n) => n !== 'k')) {
    const rule = PARAM_RULES[name];
    it(`${name}: the schema and the engine agree at its bounds`, () => {
      const cases: [unknown, boolean][] =
        rule.kind === 'choice'
          ? [...rule.values.map((v): [unknown, boolean] => [v, true]), ['bogus', false], [1, false]]
          : [
              [rule.min, true],
              [rule.min - 1, false],
              [rule.kind === 'integer' ? rule.min + 0.5 : Number.NaN, false],
              ['1', false],
              ...(rule.max < Infinity ? ([[rule.max, true], [rule.max + 1, false]] as [unknown, boolean][]) : []),
              ...('alt' in rule ? ([[rule.alt, true]] as [unknown, boolean][]) : []),
            ];
      for (const [value, ok] of cases) {
        expect([name, value, schemaAccepts(name, value)]).toEqual([name, value, ok]);
        expect([name, value, engineAccepts(name, value)]).toEqual([name, value, ok]);
      }
    });
  }

  it('caps nInit and maxIter in the engine as at the edge, naming the bound broken', () => {
    expect(() => resolveParams({ k: 2, nInit: 1001 }, N)).toThrow("nInit must be 'auto' or an integer ≤ 1000, got 1001");
    expect(() => resolveParams({ k: 2, maxIter: 1_000_001 }, N)).toThrow('maxIter must be an integer ≤ 1000000, got 1000001');
    expect(validateRequest('runs/start', { datasetId: 1, params: { k: 2, nInit: 1001 } })).toMatchObject({ ok: false, message: expect.stringContaining('params.nInit must be an integer in [1, 1000]') });
  });
});
