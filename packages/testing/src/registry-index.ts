// Lookups over a semconv registry, built once per registry so each check is a few map reads.
import type {
  AttributeDefinition,
  EventDefinition,
  MetricDefinition,
  SemconvRegistry,
  SpanDefinition,
} from './semconv-registry.js';
import { semconvRegistry } from './semconv-registry.js';

/** Options of the checks. */
export interface CheckOptions {
  /** The registry to check against; default the vendored {@link semconvRegistry} (`v0.1.0`). */
  readonly registry?: SemconvRegistry;
}

/** A span kind as the registry spells it. */
export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A span type of the registry, ready for classification. */
export interface SpanType {
  readonly id: string;
  readonly definition: SpanDefinition;
  /** Its kind, and INTERNAL too where the registry says it MAY be. */
  readonly kinds: readonly SpanKindName[];
  /** Its `required` attributes. */
  readonly required: readonly string[];
}

/** What the checks look up in a registry. */
export interface RegistryIndex {
  readonly registry: SemconvRegistry;
  /** The definition of an attribute key: by name, or by a template's prefix (`gen_ai.prompt.variable.<key>`). */
  attribute(key: string): AttributeDefinition | undefined;
  readonly metrics: ReadonlyMap<string, MetricDefinition>;
  readonly events: ReadonlyMap<string, EventDefinition>;
  /** Removed or renamed metric names, with what replaces them. */
  readonly removedMetrics: ReadonlyMap<string, string>;
  /** The span types of each `gen_ai.operation.name` value. */
  readonly spanTypesByOperation: ReadonlyMap<string, readonly SpanType[]>;
  /** The span types classified by `mcp.method.name` (the ones requiring it), by kind. */
  readonly mcpSpanTypesByKind: ReadonlyMap<SpanKindName, SpanType>;
  /** Refinements of a span type by provider (`span.<provider>.…` refining it), by the refined type's id. */
  readonly providerRefinements: ReadonlyMap<string, readonly SpanType[]>;
  readonly deprecatedEvents: ReadonlySet<string>;
}

const ATTRIBUTE_TYPES =
  /^(?:string|int|double|boolean|any)(?:\[\])?$|^template\[(?:string|int|double|boolean|any)(?:\[\])?\]$/;
const MCP_METHOD = 'mcp.method.name';

// A cache: one index per registry object.
const indexes = new WeakMap<SemconvRegistry, RegistryIndex>();

/** The index of `registry`; throws, naming the attribute, on a type the checks do not know. */
export function registryIndex(registry: SemconvRegistry): RegistryIndex {
  const cached = indexes.get(registry);
  if (cached) return cached;

  const attributes = new Map(Object.entries(registry.attributes));
  const templates: [prefix: string, definition: AttributeDefinition][] = [];
  for (const [name, definition] of attributes) {
    if (!ATTRIBUTE_TYPES.test(definition.type)) {
      throw new Error(
        `semconv registry ${registry.version}: ${name} has a type the check does not know: ${definition.type}`,
      );
    }
    if (definition.type.startsWith('template[')) templates.push([`${name}.`, definition]);
  }

  const spanTypesByOperation = new Map<string, SpanType[]>();
  const mcpSpanTypesByKind = new Map<SpanKindName, SpanType>();
  const providerRefinements = new Map<string, SpanType[]>();
  for (const [id, definition] of Object.entries(registry.spans)) {
    const type = spanType(id, definition);
    if (definition.refines !== undefined) {
      const list = providerRefinements.get(definition.refines) ?? [];
      list.push(type);
      providerRefinements.set(definition.refines, list);
    } else if (definition.attributes[MCP_METHOD] === 'required') {
      for (const kind of type.kinds) mcpSpanTypesByKind.set(kind, type);
    } else if (Array.isArray(definition.operation)) {
      for (const operation of definition.operation as readonly string[]) {
        const list = spanTypesByOperation.get(operation) ?? [];
        list.push(type);
        spanTypesByOperation.set(operation, list);
      }
    }
  }

  const index: RegistryIndex = {
    registry,
    attribute(key) {
      const exact = attributes.get(key);
      if (exact !== undefined || templates.length === 0) return exact;
      for (const [prefix, definition] of templates) if (key.startsWith(prefix)) return definition;
      return undefined;
    },
    metrics: new Map(Object.entries(registry.metrics)),
    events: new Map(Object.entries(registry.events)),
    removedMetrics: new Map(Object.entries(registry.x_removed_metrics ?? {})),
    spanTypesByOperation,
    mcpSpanTypesByKind,
    providerRefinements,
    deprecatedEvents: new Set(registry.x_deprecated_events_core_v1_44 ?? []),
  };
  indexes.set(registry, index);
  return index;
}

/** The index of the registry `options` name, or of the vendored one. */
export function indexOf(options: CheckOptions): RegistryIndex {
  return registryIndex(options.registry ?? semconvRegistry());
}

function spanType(id: string, definition: SpanDefinition): SpanType {
  const kinds: SpanKindName[] = [definition.kind];
  if (definition.kind !== 'internal' && /MAY be INTERNAL/.test(definition.x_kind_note ?? ''))
    kinds.push('internal');
  return {
    id,
    definition,
    kinds,
    required: Object.keys(definition.attributes).filter((name) => definition.attributes[name] === 'required'),
  };
}
