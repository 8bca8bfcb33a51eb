/*
 * The content policy: whether message content is captured, and how it is redacted, serialised and
 * capped. One process-wide policy is shared by the manual API and every adapter.
 */
import { diag } from '@opentelemetry/api';
import { processWide } from '../state.js';
import { createRedactionEngine, redactApiKeys } from './redact.js';
import { toJsonSafe } from './safe-serialize.js';
import { readArray, readOptions } from '../values.js';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH, truncateJsonValue, truncateText } from './truncate.js';
import type {
  ContentCaptureMode,
  ContentField,
  ContentOptions,
  ContentPolicy,
  SerializedContent,
} from './types.js';

export { DEFAULT_MAX_ATTRIBUTE_LENGTH } from './truncate.js';

/** Environment variable holding the capture mode (OTel GenAI convention). */
export const CAPTURE_MESSAGE_CONTENT_ENV = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';
/** Environment variable holding the maximum length of one content attribute. */
export const CONTENT_MAX_LENGTH_ENV = 'AGENT_OTEL_CONTENT_MAX_LENGTH';

/** Every capture mode, in the spelling the OTel GenAI proposal uses. */
export const CONTENT_CAPTURE_MODES: readonly ContentCaptureMode[] = Object.freeze([
  'NO_CONTENT',
  'SPAN_ONLY',
  'EVENT_ONLY',
  'SPAN_AND_EVENT',
]);

const ACCEPTED_VALUES = `${CONTENT_CAPTURE_MODES.join(', ')} (any case), or legacy true/false, 1/0, yes/no`;

// Strings longer than the limit plus this margin are cut before redaction, so a multi-megabyte
// string is never scanned in full, while any secret up to this long that reaches into the kept
// prefix is still seen whole by the redactors.
const REDACTION_MARGIN = 4096;

/** Options of {@link parseCaptureMode}. */
export interface ParseCaptureModeOptions {
  /** Where the value came from, named in the warning; default the environment variable. */
  source?: string;
}

/**
 * Parses a capture mode: `NO_CONTENT`, `SPAN_ONLY`, `EVENT_ONLY`, `SPAN_AND_EVENT` (any case), or
 * the legacy booleans `true`/`1`/`yes` (→ `SPAN_ONLY`, content on span attributes, as the OTel JS
 * contrib instrumentations do) and `false`/`0`/`no` (→ `NO_CONTENT`). Unset or empty → `NO_CONTENT`.
 * Anything else → `NO_CONTENT` (fail closed) and one `diag.warn`. Never throws.
 */
export function parseCaptureMode(
  raw: string | boolean | undefined,
  options?: ParseCaptureModeOptions,
): ContentCaptureMode {
  if (raw === true) return 'SPAN_ONLY';
  if (raw == null || raw === false) return 'NO_CONTENT';
  if (typeof raw === 'string') {
    const value = raw.trim();
    if (value === '') return 'NO_CONTENT';
    const upper = value.toUpperCase();
    if ((CONTENT_CAPTURE_MODES as readonly string[]).includes(upper)) return upper as ContentCaptureMode;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 'yes') return 'SPAN_ONLY';
    if (lower === 'false' || lower === '0' || lower === 'no') return 'NO_CONTENT';
  }
  diag.warn(
    `agent-otel: ${options?.source ?? CAPTURE_MESSAGE_CONTENT_ENV}=${describe(raw)} is not a valid capture mode; ` +
      `content is not captured (NO_CONTENT). Accepted values: ${ACCEPTED_VALUES}.`,
  );
  return 'NO_CONTENT';
}

/** An environment: `process.env` or any record of the same shape. */
export type ContentEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Resolves a content policy: each option overrides its environment variable, which overrides the
 * default. Invalid values are reported with `diag.warn` and replaced by the default. Never throws.
 */
export function createContentPolicy(
  options?: ContentOptions,
  env: ContentEnvironment = processEnv(),
): ContentPolicy {
  const read = readOptions(options, CONTENT_OPTION_NAMES, 'content option');
  const mode =
    read.captureMode !== undefined
      ? parseCaptureMode(read.captureMode as ContentCaptureMode, { source: 'captureMode option' })
      : parseCaptureMode(readEnv(env, CAPTURE_MESSAGE_CONTENT_ENV));
  const maxAttributeLength = resolveMaxLength(read.maxAttributeLength, readEnv(env, CONTENT_MAX_LENGTH_ENV));
  const engine = createRedactionEngine({
    redactors: resolveRedactors(read.redactors),
    sensitiveKeys: resolveSensitiveKeys(read.sensitiveKeys),
  });

  const serialize = (value: unknown, field: ContentField): SerializedContent => {
    try {
      const redaction = engine.forField(field);
      const precut = maxAttributeLength + REDACTION_MARGIN;
      // Strings are recorded as-is (not JSON-quoted): attribute values are already strings.
      if (typeof value === 'string') {
        const leaf = toJsonSafe(value, { redaction, maxStringLength: precut }) as string;
        return truncateText(leaf, { maxLength: maxAttributeLength });
      }
      const tree = toJsonSafe(value, { redaction, maxStringLength: precut }) ?? null;
      const text = JSON.stringify(tree);
      if (text.length <= maxAttributeLength) return { value: text, truncated: false };
      return truncateJsonValue(tree, { maxLength: maxAttributeLength, serializedLength: text.length });
    } catch (error) {
      // Every step guards itself; this is a last line of defence (e.g. out of memory).
      diag.warn('agent-otel: content serialisation failed; recording a placeholder', error);
      return { value: JSON.stringify('[Unserializable]'), truncated: false };
    }
  };

  return Object.freeze({
    mode,
    captureOnSpan: mode === 'SPAN_ONLY' || mode === 'SPAN_AND_EVENT',
    captureOnEvent: mode === 'EVENT_ONLY' || mode === 'SPAN_AND_EVENT',
    maxAttributeLength,
    serialize,
  });
}

// One policy per process: the ESM and the CJS build of this package (both may be loaded) share it.
const POLICY = processWide('agent_otel.core.content_policy', () => createContentPolicy());

/** Replaces the process-wide content policy (options override the environment) and returns it. */
export function configureContent(options?: ContentOptions): ContentPolicy {
  const policy = createContentPolicy(options);
  POLICY.set(policy);
  return policy;
}

/** The process-wide content policy, created from the environment on first use. */
export function getContentPolicy(): ContentPolicy {
  return POLICY.get();
}

/** Forgets the process-wide policy, so the next {@link getContentPolicy} re-reads the environment. For tests. */
export function resetContentPolicy(): void {
  POLICY.reset();
}

function processEnv(): ContentEnvironment {
  // `process` is absent in browsers and some edge runtimes.
  return typeof process === 'object' && process !== null && process.env ? process.env : {};
}

function readEnv(env: ContentEnvironment, name: string): string | undefined {
  try {
    const value = env[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function resolveMaxLength(option: unknown, envValue: string | undefined): number {
  if (option !== undefined) {
    if (isPositiveInteger(option)) return option;
    diag.warn(
      `agent-otel: maxAttributeLength option ${describe(option)} is not a positive integer; ` +
        `using ${envValue !== undefined ? CONTENT_MAX_LENGTH_ENV : `the default ${DEFAULT_MAX_ATTRIBUTE_LENGTH}`}`,
    );
  }
  if (envValue === undefined || envValue.trim() === '') return DEFAULT_MAX_ATTRIBUTE_LENGTH;
  const trimmed = envValue.trim();
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (isPositiveInteger(parsed)) return parsed;
  diag.warn(
    `agent-otel: ${CONTENT_MAX_LENGTH_ENV}=${describe(envValue)} is not a positive integer; ` +
      `using the default ${DEFAULT_MAX_ATTRIBUTE_LENGTH}`,
  );
  return DEFAULT_MAX_ATTRIBUTE_LENGTH;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

const CONTENT_OPTION_NAMES = ['captureMode', 'maxAttributeLength', 'redactors', 'sensitiveKeys'] as const;
function resolveRedactors(option: unknown): ContentOptions['redactors'] & object {
  if (option === undefined) return [redactApiKeys];
  const items = readArray(option);
  if (items === undefined) {
    diag.warn(
      'agent-otel: the redactors option is not a readable array; using the built-in API-key redactor',
    );
    return [redactApiKeys];
  }
  const redactors = items.filter((item): item is NonNullable<ContentOptions['redactors']>[number] => {
    if (typeof item === 'function') return true;
    diag.warn(`agent-otel: ignoring redactor ${describe(item)}: not a function`);
    return false;
  });
  return redactors;
}

function resolveSensitiveKeys(option: unknown): string[] {
  if (option === undefined) return [];
  const items = readArray(option);
  if (items === undefined) {
    diag.warn(
      'agent-otel: the sensitiveKeys option is not a readable array of strings; using the built-in keys only',
    );
    return [];
  }
  return items.filter((item): item is string => typeof item === 'string');
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
