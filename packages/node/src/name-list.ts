import { invalidSettingMessage, readEnv, splitList } from './settings.js';
import type { Environment } from './settings.js';

// Comma lists of names such as OTEL_TRACES_EXPORTER or OTEL_PROPAGATORS: unknown names are
// dropped with one warning per variable; `none` means an empty list.

/** Prints a resolved list the way the variable would spell it. */
export function describeNames(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(',');
}

/** Resolves `variable` against `allowed`; unset, or nothing valid left, gives `fallback`. */
export function resolveNameList<T extends string>(
  env: Environment,
  variable: string,
  allowed: readonly T[],
  fallback: readonly T[],
  warnings: string[],
): T[] {
  const raw = readEnv(env, variable);
  if (raw === undefined) return [...fallback];
  const names: T[] = [];
  const unknown: string[] = [];
  let sawNone = false;
  for (const entry of splitList(raw)) {
    const name = entry.toLowerCase();
    if (name === 'none') sawNone = true;
    else if ((allowed as readonly string[]).includes(name)) {
      if (!names.includes(name as T)) names.push(name as T);
    } else unknown.push(entry);
  }
  const fix = `use a comma list of ${allowed.join(', ')}, or none`;
  let result: T[];
  if (sawNone) result = [];
  else if (names.length > 0 || unknown.length === 0) result = names;
  else result = [...fallback];
  if (unknown.length > 0) {
    const problem = `has ${unknown.length === 1 ? 'a value' : 'values'} @agent-otel/node does not support: ${unknown
      .map((name) => `"${name}"`)
      .join(', ')}`;
    warnings.push(invalidSettingMessage(variable, raw, problem, fix, describeNames(result)));
  }
  if (sawNone && names.length > 0) {
    warnings.push(
      invalidSettingMessage(
        variable,
        raw,
        'combines "none" with other values',
        `use either none alone or a comma list of ${allowed.join(', ')}`,
        'none',
      ),
    );
  }
  return result;
}
