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
  let result: T | undefined;
  let found = false;
  const problems: { variable: string; raw: string; problem: string; fix: string }[] = [];
  for (const { variable, parse } of layers) {
    const raw = readEnv(env, variable);
    if (raw === undefined) continue;
    const parsed = parse(raw);
    if (!parsed.ok) problems.push({ variable, raw, problem: parsed.problem, fix: parsed.fix });
    else if (!found) {
      result = parsed.value;
      found = true;
    }
  }
  const final = found ? (result as T) : fallback;
  for (const { variable, raw, problem, fix } of problems) {
    warnings.push(invalidSettingMessage(variable, raw, problem, fix, describe(final)));
  }
  return final;
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
