/**
 * The CLI's run-parameter options, derived from the one parameter table (src-shared/params.ts): each rule with a
 * `cli` name is an option; its scikit-learn name, where it reads differently (--n-clusters, --random-state), is a
 * second name for it. Ranges are left to the engine's resolveParams (one message per rule), except k's lower
 * bound: k's upper bound is the data's n, known only after the load.
 */
import type { KMeansParams } from '../../src-shared/model';
import { DEFAULT_PARAMS } from '../../src-shared/defaults';
import { PARAM_NAMES, PARAM_RULES, type ParamName, type ParamRule } from '../../src-shared/params';
import { aliasedOption, choiceOption, intOption, numberOption, UsageError } from './common';

type CliRule = ParamRule & { cli: string };

/** The parameters the CLI takes, in the table's order. */
export const CLI_PARAMS = PARAM_NAMES.filter((name) => 'cli' in PARAM_RULES[name]) as ParamName[];

function rule(name: ParamName): CliRule {
  return PARAM_RULES[name] as CliRule;
}

/** scikit-learn's name as an option (`n_clusters` → `n-clusters`), when it differs from the CLI's own name. */
function aliasOf(r: CliRule): string | null {
  if (!/^[a-z_]+$/.test(r.sklearn)) return null;
  const alias = r.sklearn.replace(/_/g, '-');
  return alias === r.cli ? null : alias;
}

/** Every option name the run parameters take (for parseOptions). */
export function paramOptionNames(): string[] {
  return CLI_PARAMS.flatMap((name) => {
    const alias = aliasOf(rule(name));
    return alias ? [rule(name).cli, alias] : [rule(name).cli];
  });
}

/** The run parameters given on the command line (absent ones left out; the engine fills in its defaults). */
export function paramOptions(o: Record<string, unknown>): Partial<KMeansParams> {
  const params: Record<string, unknown> = {};
  for (const name of CLI_PARAMS) {
    const r = rule(name);
    const alias = aliasOf(r);
    const raw = alias ? aliasedOption(o, r.cli, alias) : (o[r.cli] as string | undefined);
    const value = parse(name, r, raw);
    if (value !== undefined) params[name] = value;
  }
  return params as Partial<KMeansParams>;
}

function parse(name: ParamName, r: CliRule, raw: string | undefined): unknown {
  if (r.kind === 'choice') return choiceOption(r.cli, raw, r.values);
  if (r.kind === 'number') return numberOption(r.cli, raw);
  if ('alt' in r && r.alt !== null && raw === r.alt) return r.alt;
  return intOption(r.cli, raw, name === 'k' ? r.min : undefined);
}

/** --seed of the commands that draw at random but fit no model (score's silhouette sample, embed's UMAP): the seed rule's range. */
export function seedOption(value: string | undefined): number {
  const { min, max } = PARAM_RULES.seed;
  const seed = intOption('seed', value, min) ?? DEFAULT_PARAMS.seed;
  if (seed > max) throw new UsageError(`--seed must be ≤ ${max}, got ${seed}`);
  return seed;
}
