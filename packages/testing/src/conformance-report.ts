// What the conformance check reports, and its readable listing.

/** The kind of telemetry a finding is about. */
export type ConformanceSignal = 'span' | 'span event' | 'metric' | 'log record';

/**
 * The rule a finding breaks. Violations: `unknown-attribute`, `deprecated-attribute`,
 * `attribute-type`, `enum-value`, `span-kind`, `span-name`, `missing-required`, `unknown-metric`,
 * `deprecated-metric`, `metric-instrument`, `metric-unit`, `bucket-boundaries`, `unknown-event`,
 * `deprecated-event`. Information only: `unclassified-span` (an operation name the registry has no
 * span type for: the list is open) and `unlisted-value` (a value outside an open enum).
 */
export type ConformanceRule =
  | 'unknown-attribute'
  | 'deprecated-attribute'
  | 'attribute-type'
  | 'enum-value'
  | 'span-kind'
  | 'span-name'
  | 'missing-required'
  | 'unknown-metric'
  | 'deprecated-metric'
  | 'metric-instrument'
  | 'metric-unit'
  | 'bucket-boundaries'
  | 'unknown-event'
  | 'deprecated-event'
  | 'unclassified-span'
  | 'unlisted-value';

/** One thing the check found. */
export interface ConformanceFinding {
  readonly signal: ConformanceSignal;
  /** The span name, metric name, or event name (`span name › event name` for a span event). */
  readonly item: string;
  readonly rule: ConformanceRule;
  /** What is wrong, starting with the attribute or metric name it is about. */
  readonly detail: string;
}

/** The result of a check: violations fail it; `info` lists what is allowed but worth a look. */
export interface ConformanceReport {
  readonly violations: ConformanceFinding[];
  readonly info: ConformanceFinding[];
}

/**
 * A span or event name as a finding's item: the name, or what it is when it is not a string (the
 * SDK keeps whatever value it was given, and printing an object can run its code).
 */
export function itemName(name: unknown): string {
  return typeof name === 'string' ? name : `(a ${typeof name} as name)`;
}

/** A value quoted for a finding's detail, shortened to 60 characters. */
export function quoted(value: string): string {
  return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
}

/** The rules that are information only. */
export const INFO_RULES: ReadonlySet<ConformanceRule> = new Set(['unclassified-span', 'unlisted-value']);

/** An empty report that {@link addFinding} fills. */
export function emptyReport(): ConformanceReport {
  return { violations: [], info: [] };
}

/** Adds a finding to the violations or the info of `report`, by its rule. */
export function addFinding(report: ConformanceReport, finding: ConformanceFinding): void {
  (INFO_RULES.has(finding.rule) ? report.info : report.violations).push(finding);
}

/**
 * The findings as lines grouped by rule, sorted, each distinct finding once with its count:
 * `  span "chat gpt-4o": gen_ai.foo is not in the registry (3×)`.
 */
export function formatFindings(findings: readonly ConformanceFinding[]): string {
  const counts = new Map<string, { finding: ConformanceFinding; count: number }>();
  for (const finding of findings) {
    const key = `${finding.rule}\u0000${finding.detail}\u0000${finding.signal}\u0000${finding.item}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { finding, count: 1 });
  }
  const byRule = new Map<ConformanceRule, string[]>();
  for (const [, { finding, count }] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const lines = byRule.get(finding.rule) ?? [];
    lines.push(
      `  ${finding.signal} ${JSON.stringify(finding.item)}: ${finding.detail}${count > 1 ? ` (${count}×)` : ''}`,
    );
    byRule.set(finding.rule, lines);
  }
  return [...byRule].map(([rule, lines]) => `${rule}:\n${lines.join('\n')}`).join('\n');
}
