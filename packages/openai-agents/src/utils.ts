import type { HrTime } from '@opentelemetry/api';
import { ERROR_TYPE_VALUE_OTHER } from '@agent-otel/core/semconv';

const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds as an `HrTime`, with integer arithmetic only (no float rounding). */
export function msToHrTime(ms: number): HrTime {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  return [seconds, (whole - seconds * 1000) * 1_000_000];
}

/**
 * An ISO-8601 timestamp (the SDK's `startedAt` / `endedAt`, e.g. `2026-11-22T03:07:15.993Z`) as an
 * `HrTime`, exact to the digits given (a single float of nanoseconds would lose precision). `undefined`
 * for anything else.
 */
export function isoToHrTime(iso: unknown): HrTime | undefined {
  if (typeof iso !== 'string') return undefined;
  // Fast path: `Date#toISOString()` output (the SDK's `timeIso()`) is exact to the millisecond.
  if (iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */ && iso.charCodeAt(19) === 46 /* . */) {
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return msToHrTime(ms);
  }
  const match = ISO_TIME.exec(iso);
  if (!match) {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? msToHrTime(ms) : undefined;
  }
  const wholeSecondsMs = Date.parse(`${match[1]}${match[3]}`);
  if (!Number.isFinite(wholeSecondsMs)) return undefined;
  const nanos = Number((match[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return [Math.floor(wholeSecondsMs / 1000), nanos];
}

/** Epoch milliseconds of an `HrTime`. */
export function hrTimeToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1_000_000;
}

// SpanError messages the SDK uses (agents-core runner, agents-openai models), by error type.
const KNOWN_SDK_ERRORS: Readonly<Record<string, string>> = {
  'Max turns exceeded': 'MaxTurnsExceededError',
  'Guardrail tripwire triggered': 'GuardrailTripwireTriggered',
  'Error running tool': 'tool_error',
  'Error running tool (non-fatal)': 'tool_error',
  'Multiple handoffs requested': 'MultipleHandoffsRequested',
};

const CLASS_PREFIX = /^([A-Za-z_$][\w$]*(?:Error|Exception|Triggered))(?::|$)/;

/**
 * A low-cardinality `error.type` for an SDK `SpanError` (`{message, data}`): `data.type` when the SDK
 * gave one; the error class at the start of `data.error` (the SDK records `String(error)`, e.g.
 * `MaxTurnsExceededError: Max turns (2) exceeded`); the type of a known SDK message; else `_OTHER`.
 */
export function sdkErrorType(error: unknown): string {
  try {
    if (typeof error !== 'object' || error === null) return ERROR_TYPE_VALUE_OTHER;
    const { message, data } = error as { message?: unknown; data?: Record<string, unknown> | null };
    if (data && typeof data.type === 'string' && data.type !== '') return data.type;
    const described = data && typeof data.error === 'string' ? CLASS_PREFIX.exec(data.error.trim()) : null;
    if (described) return described[1]!;
    if (typeof message === 'string' && Object.hasOwn(KNOWN_SDK_ERRORS, message)) {
      return KNOWN_SDK_ERRORS[message]!;
    }
  } catch {
    // A hostile error object: the generic type will do.
  }
  return ERROR_TYPE_VALUE_OTHER;
}

/**
 * `gen_ai.provider.name` of an AI SDK provider id (the part of e.g. `anthropic.messages` before the
 * first dot), where semconv names the provider; any other provider keeps the AI SDK's name.
 */
const AI_SDK_PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  'amazon-bedrock': 'aws.bedrock',
  cohere: 'cohere',
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  moonshotai: 'moonshot_ai',
  perplexity: 'perplexity',
  xai: 'x_ai',
};

/** The AI SDK provider id a generation span's `model_config` names (`@openai/agents-extensions`' `aisdk()`). */
function aiSdkProviderId(config: Record<string, unknown>): string | undefined {
  const provider = config.provider;
  return typeof provider === 'string' && provider !== '' && config.model_impl === 'ai-sdk'
    ? provider
    : undefined;
}

/**
 * `gen_ai.provider.name` of a generation span recorded by the AI SDK adapter of
 * `@openai/agents-extensions` (`model_config: {provider, model_impl: 'ai-sdk'}`); `undefined` for any
 * other generation span (the SDK's own `OpenAIChatCompletionsModel`).
 */
export function aiSdkProviderOf(config: Record<string, unknown>): string | undefined {
  const id = aiSdkProviderId(config);
  if (id === undefined) return undefined;
  if (id.startsWith('google.vertex')) return 'gcp.vertex_ai';
  const prefix = id.split('.', 1)[0]!;
  return Object.hasOwn(AI_SDK_PROVIDERS, prefix) ? AI_SDK_PROVIDERS[prefix] : prefix;
}

/** The model id of an AI SDK generation span, whose `model` the adapter records as `{provider}:{modelId}`. */
export function aiSdkModelId(model: unknown, config: Record<string, unknown>): string | undefined {
  if (typeof model !== 'string' || model === '') return undefined;
  const prefix = `${aiSdkProviderId(config) ?? ''}:`;
  return model.startsWith(prefix) && model.length > prefix.length ? model.slice(prefix.length) : model;
}
