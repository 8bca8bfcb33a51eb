// The vendored GenAI semantic-convention registry (`semconv/<version>.json` in this package) that the
// conformance check reads. A new semconv release is a new JSON file and a change of
// SEMCONV_REGISTRY_VERSION: one reviewed diff.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The semconv release whose registry the conformance check uses by default. */
export const SEMCONV_REGISTRY_VERSION = 'v0.1.0';

/** How strongly the registry asks for an attribute on a span, metric or event. */
export type RequirementLevel = 'required' | 'conditionally_required' | 'recommended' | 'opt_in';

/** An attribute of the registry. */
export interface AttributeDefinition {
  /** `string`, `int`, `double`, `boolean`, `any`, an array of one (`string[]`), or `template[<type>]`. */
  readonly type: string;
  readonly stability: string;
  /** Why the name is deprecated and what replaces it; `null` when it is not. */
  readonly deprecated: string | null;
  /** The well-known values; `null` when there is no list. */
  readonly enum: readonly string[] | null;
}

/** A span type of the registry (`span.gen_ai.client.inference`, …), or a refinement of one. */
export interface SpanDefinition {
  readonly kind: 'client' | 'server' | 'internal';
  /** The `gen_ai.operation.name` values of the span type (a single value or `null` on refinements). */
  readonly operation: readonly string[] | string | null;
  /** The span type this one refines (a provider's or a tool's refinement), if any. */
  readonly refines?: string;
  readonly name_rule: string | null;
  readonly attributes: Readonly<Record<string, RequirementLevel>>;
  readonly x_conditions?: Readonly<Record<string, string>>;
  /** Kinds the span may have besides {@link kind} ("MAY be INTERNAL …"). */
  readonly x_kind_note?: string;
}

/** A metric of the registry. */
export interface MetricDefinition {
  readonly instrument: 'histogram' | 'counter' | 'updowncounter' | 'gauge';
  readonly unit: string;
  /** The explicit bucket boundaries the registry advises for a histogram; `null` when none. */
  readonly bucket_advice: readonly number[] | null;
  readonly attributes: Readonly<Record<string, RequirementLevel>>;
}

/** A log-based event of the registry. */
export interface EventDefinition {
  readonly severity: string | null;
  readonly attributes: Readonly<Record<string, RequirementLevel>>;
}

/** The registry file: names, types and requirement levels of one semconv release. */
export interface SemconvRegistry {
  readonly version: string;
  readonly attributes: Readonly<Record<string, AttributeDefinition>>;
  readonly spans: Readonly<Record<string, SpanDefinition>>;
  readonly metrics: Readonly<Record<string, MetricDefinition>>;
  readonly events: Readonly<Record<string, EventDefinition>>;
  /** Metric names the release removed or renamed, with what replaces them. */
  readonly x_removed_metrics?: Readonly<Record<string, string>>;
  /** Event names deprecated by core semconv. */
  readonly x_deprecated_events_core_v1_44?: readonly string[];
}

// A cache: the file is read once per process.
const loaded = new Map<string, SemconvRegistry>();

/**
 * The vendored registry of `version` (default {@link SEMCONV_REGISTRY_VERSION}), read once from this
 * package's `semconv/` folder. Throws, naming the path, when the file is missing or not a registry.
 */
export function semconvRegistry(version: string = SEMCONV_REGISTRY_VERSION): SemconvRegistry {
  const cached = loaded.get(version);
  if (cached) return cached;
  const path = registryPath(version);
  const registry = JSON.parse(readFileSync(path, 'utf8')) as SemconvRegistry;
  for (const section of ['attributes', 'spans', 'metrics', 'events'] as const) {
    if (typeof registry[section] !== 'object' || registry[section] === null) {
      throw new Error(`${path} is not a semconv registry: it has no "${section}" object`);
    }
  }
  loaded.set(version, registry);
  return registry;
}

/** `semconv/<version>.json` of this package, from `src/` (tests) or `dist/<format>/` (built). */
function registryPath(version: string): string {
  const file = `${version}.json`;
  const here = dirname(thisModuleFile());
  const candidates = [join(here, '..', 'semconv', file), join(here, '..', '..', 'semconv', file)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      `semconv registry ${version} not found (looked at ${candidates.join(', ')}): ` +
        `@agent-otel/testing ships it in semconv/${file}`,
    );
  }
  return found;
}

/**
 * The path of this module. The same source builds to CommonJS (`__filename`) and ESM
 * (`import.meta.url`), and neither name compiles in the other, so it is read from the call site:
 * a path under CommonJS and jest, a `file:` URL under ESM.
 */
function thisModuleFile(): string {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = 1;
    const callSites = new Error().stack as unknown as NodeJS.CallSite[];
    const file = callSites[0]!.getFileName()!;
    return file.startsWith('file:') ? fileURLToPath(file) : file;
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
}
