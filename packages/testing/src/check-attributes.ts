// The attribute rules, shared by spans, span events, metric data points and log records.
import type { Attributes } from '@opentelemetry/api';
import {
  quoted,
  type ConformanceFinding,
  type ConformanceRule,
  type ConformanceSignal,
} from './conformance-report.js';
import type { RegistryIndex } from './registry-index.js';
import type { RequirementLevel } from './semconv-registry.js';

/** Receives each finding of a check. */
export type FindingSink = (finding: ConformanceFinding) => void;

/** Where a set of attributes was seen, for the findings about it. */
export interface AttributeSite {
  readonly signal: ConformanceSignal;
  readonly item: string;
}

/**
 * Enums whose value must be one of the listed ones. Every other registry enum is open (a provider,
 * an operation of our own): a value outside it is reported as information.
 */
const CLOSED_ENUMS: ReadonlySet<string> = new Set(['gen_ai.token.modality']);

/** Whether a key is in the namespaces the registry owns completely. */
export function isRegistryNamespace(key: string): boolean {
  return key.startsWith('gen_ai.') || key.startsWith('mcp.');
}

/**
 * Checks each attribute: a `gen_ai.*` / `mcp.*` key must be in the registry; a registry key must not
 * be deprecated, must have the registry's type and, for a closed enum, one of its values. Keys in
 * `skipEnum` are not checked against their enum (the caller reports them its own way).
 */
export function checkAttributes(
  index: RegistryIndex,
  site: AttributeSite,
  attributes: Attributes | undefined,
  report: FindingSink,
  skipEnum?: string,
): void {
  if (attributes === undefined) return;
  const found = (rule: ConformanceRule, detail: string) => report({ ...site, rule, detail });
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    const definition = index.attribute(key);
    if (definition === undefined) {
      if (isRegistryNamespace(key)) found('unknown-attribute', `${key} is not in the registry`);
      continue;
    }
    if (definition.deprecated !== null) {
      found('deprecated-attribute', `${key} is deprecated: ${definition.deprecated}`);
      continue;
    }
    if (!hasType(definition.type, value)) {
      found('attribute-type', `${key} must be ${definition.type}, got ${describe(value)}`);
      continue;
    }
    const values = definition.enum;
    if (values === null || typeof value !== 'string' || values.includes(value) || key === skipEnum) continue;
    if (CLOSED_ENUMS.has(key))
      found('enum-value', `${key} must be one of ${values.join(', ')}, got ${quoted(value)}`);
    // An enum listing only the fallback (`error.type`: `_OTHER`) names no values to compare with.
    else if (values.some((listed) => listed !== '_OTHER')) {
      found('unlisted-value', `${key} ${quoted(value)} is not a listed value (the list is open)`);
    }
  }
}

/** The names of `attributes` required by `levels` that `attributes` lacks. */
export function missingRequired(
  levels: Readonly<Record<string, RequirementLevel>>,
  attributes: Attributes | undefined,
): string[] {
  const missing: string[] = [];
  for (const name of Object.keys(levels)) {
    if (levels[name] === 'required' && attributes?.[name] === undefined) missing.push(name);
  }
  return missing;
}

/** Whether `value` has the registry type `type` (`int` an integral number, `double` any finite one). */
export function hasType(type: string, value: unknown): boolean {
  if (type.startsWith('template[')) return hasType(type.slice('template['.length, -1), value);
  if (type.endsWith('[]')) {
    const itemType = type.slice(0, -2);
    return Array.isArray(value) && value.every((item) => hasType(itemType, item));
  }
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/** A short description of a value for a message: its type and (shortened) JSON. */
function describe(value: unknown): string {
  const json = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return `${Array.isArray(value) ? 'array' : typeof value} ${json.length > 60 ? `${json.slice(0, 57)}...` : json}`;
}
