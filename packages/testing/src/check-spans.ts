// The span rules: classification by operation (or MCP method) and kind, required attributes, the
// name's operation prefix, and the attribute rules on spans and their events.
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { checkAttributes, missingRequired, type FindingSink } from './check-attributes.js';
import { checkEventName } from './check-event-name.js';
import {
  addFinding,
  emptyReport,
  itemName,
  quoted,
  type ConformanceReport,
  type ConformanceRule,
} from './conformance-report.js';
import {
  indexOf,
  type CheckOptions,
  type RegistryIndex,
  type SpanKindName,
  type SpanType,
} from './registry-index.js';

const KIND_NAMES: readonly SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const OPERATION = 'gen_ai.operation.name';
const MCP_METHOD = 'mcp.method.name';
const PROVIDER = 'gen_ai.provider.name';

/**
 * Checks finished spans against the registry: the attribute rules on each span and span event, and
 * for a span classified as a registry span type (by `mcp.method.name`, else `gen_ai.operation.name`,
 * and its kind) its required attributes (with its provider's refinement) and its name's prefix. An
 * operation name the registry has no span type for is `unclassified-span` information.
 */
export function checkSpans(spans: readonly ReadableSpan[], options: CheckOptions = {}): ConformanceReport {
  const report = emptyReport();
  const index = indexOf(options);
  const sink: FindingSink = (finding) => addFinding(report, finding);
  for (const span of spans) checkSpan(index, span, sink);
  return report;
}

/** Checks one finished span (what a span processor calls on each span end). */
export function checkSpan(index: RegistryIndex, span: ReadableSpan, report: FindingSink): void {
  const name = itemName(span.name);
  const site = { signal: 'span', item: name } as const;
  const attributes = span.attributes;
  checkAttributes(index, site, attributes, report, OPERATION);
  for (const event of span.events) checkSpanEvent(index, name, event.name, event.attributes, report);

  const classified = classify(index, KIND_NAMES[span.kind] ?? 'internal', attributes);
  if (classified === undefined) return;
  if ('rule' in classified) {
    report({ ...site, ...classified });
    return;
  }
  const { type, prefix } = classified;
  if (name !== prefix && !name.startsWith(`${prefix} `)) {
    report({
      ...site,
      rule: 'span-name',
      detail:
        `the name of a ${type.id} span starts with ${quoted(prefix)}: ${type.definition.name_rule ?? ''}`.trim(),
    });
  }
  for (const missing of missingRequired(type.definition.attributes, attributes)) {
    report({ ...site, rule: 'missing-required', detail: `${missing} is required on ${type.id}` });
  }
  const provider = attributes[PROVIDER];
  if (typeof provider === 'string') {
    for (const refinement of index.providerRefinements.get(type.id) ?? []) {
      if (!refinement.id.startsWith(`span.${provider}.`)) continue;
      for (const missing of missingRequired(refinement.definition.attributes, attributes)) {
        report({ ...site, rule: 'missing-required', detail: `${missing} is required on ${refinement.id}` });
      }
    }
  }
}

/**
 * The registry span type of a span: by `mcp.method.name` and kind, else by `gen_ai.operation.name`
 * and kind, with the value its name starts with; a finding when it cannot be one; `undefined` for a
 * span that is not a GenAI one.
 */
function classify(
  index: RegistryIndex,
  kind: SpanKindName,
  attributes: Attributes,
): { type: SpanType; prefix: string } | { rule: ConformanceRule; detail: string } | undefined {
  const method = attributes[MCP_METHOD];
  const operation = attributes[OPERATION];
  if (typeof method === 'string') {
    const type = index.mcpSpanTypesByKind.get(kind);
    if (type !== undefined) return { type, prefix: method };
  }
  if (typeof operation === 'string') {
    const candidates = index.spanTypesByOperation.get(operation);
    const type = candidates?.find((candidate) => candidate.kinds.includes(kind));
    if (type !== undefined) return { type, prefix: operation };
    if (candidates !== undefined) {
      const expected = candidates.map(
        (candidate) => `${candidate.kinds.join('/').toUpperCase()} (${candidate.id})`,
      );
      return {
        rule: 'span-kind',
        detail: `${OPERATION} ${quoted(operation)} on a span of kind ${kind.toUpperCase()}: the registry has it on ${expected.join(', ')}`,
      };
    }
    if (method === undefined) {
      return {
        rule: 'unclassified-span',
        detail: `${OPERATION} ${quoted(operation)} has no span type in the registry`,
      };
    }
  }
  if (typeof method === 'string') {
    const kinds = [...index.mcpSpanTypesByKind.keys()].map((known) => known.toUpperCase()).join(' or ');
    return {
      rule: 'span-kind',
      detail: `${MCP_METHOD} on a span of kind ${kind.toUpperCase()}: the registry has MCP spans as ${kinds}`,
    };
  }
  return undefined;
}

/** A span event: the attribute rules, and a `gen_ai.*` / `mcp.*` name must be a registry event. */
function checkSpanEvent(
  index: RegistryIndex,
  spanName: string,
  name: unknown,
  attributes: Attributes | undefined,
  report: FindingSink,
): void {
  const site = { signal: 'span event', item: `${spanName} › ${itemName(name)}` } as const;
  checkAttributes(index, site, attributes, report);
  checkEventName(index, site, name, attributes, report);
}
