// Reading one setting from the environment: every bad value becomes one warning that names the
// variable, the value, the fix and the value used instead, so a typo never stops the app.

/** The environment as `process.env` shapes it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The outcome of parsing one raw value. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

/** One environment variable and how to parse it. */
export interface Layer<T> {
  readonly variable: string;
  readonly parse: (raw: string) => Parsed<T>;
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const invalid = <T>(problem: string, fix: string): Parsed<T> => ({ ok: false, problem, fix });

/** The trimmed value of `variable`; empty means unset, as the OTel spec says. */
export function readEnv(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

/** Splits a comma list, trimming and dropping empty entries. */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** The warning text for a bad value; `fallback` is what is used instead. */
export function invalidSettingMessage(
  variable: string,
  raw: string,
  problem: string,
  fix: string,
  fallback: string,
): string {
  return `${variable}="${raw}" ${problem}; ${fix}. Falling back to ${fallback}.`;
}

/** A set but invalid value: what was wrong, the fix, and (described) the value used instead. */
export interface SettingProblem {
  readonly variable: string;
  readonly raw: string;
  readonly problem: string;
  readonly fix: string;
  readonly fallback: string;
}

/** The warning text for `problem`. */
export function describeProblem({ variable, raw, problem, fix, fallback }: SettingProblem): string {
  return invalidSettingMessage(variable, raw, problem, fix, fallback);
}

/**
 * The value of the first layer that is set and valid, else `fallback`, and one problem per set but
 * invalid layer, each naming the value finally used.
 */
export function resolveLayeredProblems<T>(
  env: Environment,
  layers: readonly Layer<T>[],
  fallback: T,
  describe: (value: T) => string,
): { value: T; problems: SettingProblem[] } {
  let result: T | undefined;
  let found = false;
  const invalid: Omit<SettingProblem, 'fallback'>[] = [];
  for (const { variable, parse } of layers) {
    const raw = readEnv(env, variable);
    if (raw === undefined) continue;
    const parsed = parse(raw);
    if (!parsed.ok) invalid.push({ variable, raw, problem: parsed.problem, fix: parsed.fix });
    else if (!found) {
      result = parsed.value;
      found = true;
    }
  }
  const value = found ? (result as T) : fallback;
  const described = describe(value);
  return { value, problems: invalid.map((problem) => ({ ...problem, fallback: described })) };
}

/**
 * The value of the first layer that is set and valid, else `fallback`. Every set but invalid
 * layer adds one warning, which names the value finally used.
 */
export function resolveLayered<T>(
  env: Environment,
  layers: readonly Layer<T>[],
  fallback: T,
  describe: (value: T) => string,
  warnings: string[],
): T {
  const { value, problems } = resolveLayeredProblems(env, layers, fallback, describe);
  for (const problem of problems) warnings.push(describeProblem(problem));
  return value;
}

/** The problems and other warnings one consumer of shared variables (a signal) found. */
export interface LabelledProblems {
  /** Names the consumer in a merged warning, e.g. `traces`. */
  readonly label: string;
  readonly problems: readonly SettingProblem[];
  /** Warnings without a fallback (a dropped list entry): the same text for every consumer. */
  readonly warnings?: readonly string[];
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The warnings of several consumers of the same variables, each problem said once: when the
 * consumers fall back to different values, the warning names each one's (`Falling back to A for
 * traces, B for metrics and logs.`).
 */
export function mergeProblems(sources: readonly LabelledProblems[]): string[] {
  type Group = { problem: SettingProblem; fallbacks: Map<string, string[]> };
  const entries: (Group | string)[] = [];
  const groups = new Map<string, Group>();
  const seen = new Set<string>();
  for (const { label, problems, warnings = [] } of sources) {
    for (const problem of problems) {
      const key = JSON.stringify([problem.variable, problem.raw, problem.problem, problem.fix]);
      let group = groups.get(key);
      if (group === undefined) {
        group = { problem, fallbacks: new Map() };
        groups.set(key, group);
        entries.push(group);
      }
      const labels = group.fallbacks.get(problem.fallback) ?? [];
      labels.push(label);
      group.fallbacks.set(problem.fallback, labels);
    }
    for (const warning of warnings) {
      if (!seen.has(warning)) entries.push(warning);
      seen.add(warning);
    }
  }
  return entries.map((entry) => {
    if (typeof entry === 'string') return entry;
    const fallbacks = [...entry.fallbacks];
    const fallback =
      fallbacks.length === 1
        ? fallbacks[0]![0]
        : fallbacks.map(([value, labels]) => `${value} for ${joinAnd(labels)}`).join(', ');
    return describeProblem({ ...entry.problem, fallback });
  });
}

/** A parser for integers `>= min` (milliseconds, sizes). */
export function integerAtLeast(min: number, example: number): (raw: string) => Parsed<number> {
  return (raw) => {
    const value = Number(raw);
    if (!/^[+]?\d+(\.0*)?$/.test(raw) || !Number.isSafeInteger(value)) {
      return invalid('is not a whole number', `use e.g. ${example}`);
    }
    return value < min ? invalid(`is less than ${min}`, `use e.g. ${example}`) : ok(value);
  };
}

/** A parser accepting one of `allowed` (case-insensitive), returned in lower case. */
export function oneOf<T extends string>(allowed: readonly T[]): (raw: string) => Parsed<T> {
  return (raw) => {
    const value = raw.toLowerCase() as T;
    return allowed.includes(value)
      ? ok(value)
      : invalid('is not supported', `use one of ${allowed.join(', ')}`);
  };
}

/** Percent-decodes, or returns undefined for malformed escapes. */
export function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
