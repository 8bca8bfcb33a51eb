// Synthetic agent traces, deterministic per (seed, index): a workflow root → one or two agents (a
// handoff between them) → chat spans and tool executions, with gen_ai usage, priced models, costs,
// metadata (tenant, user, env, request id, priority), conversation ids and some failures.
// Used by the store's tests and by the benchmarks (bench/viewer-*.mjs import it: only erasable
// TypeScript here, so Node can load this file directly).
import type { Attributes, Span, SpanEvent } from '../../src/model.js';

export interface SyntheticOptions {
  /** Default 1. */
  readonly seed?: number;
  /** Start of trace 0, ms since the epoch; default 2026-01-01T00:00:00Z. */
  readonly startMs?: number;
  /** Time between trace starts; default 1000 ms. */
  readonly spacingMs?: number;
  /** Share of traces with a failed tool call; default 0.05. */
  readonly errorRate?: number;
  /** Characters of message content on chat and tool spans (0: no content attributes); default 160. */
  readonly contentChars?: number;
}

/** Distinct values of the metadata the traces carry (for filters of a known selectivity). */
export const SYNTHETIC_TENANTS = 20;
export const SYNTHETIC_USERS = 1000;
/** Traces per conversation. */
export const SYNTHETIC_TRACES_PER_CONVERSATION = 4;

export const SYNTHETIC_SERVICES = [
  'support-agent',
  'billing-agent',
  'research-agent',
  'onboarding-agent',
] as const;
const WORKFLOWS = ['Customer support', 'Refund flow', 'Research report', 'Onboarding'] as const;
const AGENTS = ['Triage', 'Billing', 'Researcher', 'Writer', 'Support'] as const;
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4.1-mini'],
  ['anthropic', 'claude-sonnet-4'],
] as const;
const TOOLS = [
  'lookup_order',
  'refund_payment',
  'search_docs',
  'get_weather',
  'send_email',
  'create_ticket',
] as const;
const WORDS =
  'the order arrived late and the customer asks for a refund of the shipping fee please check the account history before answering'.split(
    ' ',
  );

/** A small fast deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, chars: number): string {
  let out = '';
  while (out.length < chars)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, chars);
}

/** The id of synthetic trace `index` (32 hex characters). */
export function syntheticTraceId(index: number, seed = 1): string {
  const rand = prng((seed * 0x9e3779b1) ^ (index * 0x85ebca6b) ^ 0x27d4eb2f);
  return hex(rand, 24) + (index >>> 0).toString(16).padStart(8, '0');
}

/** Nanoseconds since the epoch as a decimal string, from milliseconds (µs precision). */
export function msToNanos(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  return `${whole}${String(micros).padStart(3, '0')}000`;
}

const resources = new Map<string, Attributes>();
function resourceOf(service: string): Attributes {
  let r = resources.get(service);
  if (!r) {
    r = Object.freeze({
      'service.name': service,
      'service.version': '1.4.2',
      'deployment.environment.name': 'production',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.version': '2.2.0',
      'host.name': `${service}-7f9c`,
    });
    resources.set(service, r);
  }
  return r;
}

const SCOPE = Object.freeze({ name: '@agent-otel/core', version: '0.1.0' });

function text(rand: () => number, chars: number): string {
  let out = '';
  while (out.length < chars) out += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
  return out.slice(0, chars);
}

/** The spans of synthetic trace `index`, parents before children. */
export function syntheticTrace(index: number, options: SyntheticOptions = {}): Span[] {
  const seed = options.seed ?? 1;
  const rand = prng((seed * 0x2545f491) ^ (index * 0x9e3779b9));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const contentChars = options.contentChars ?? 160;
  const traceId = syntheticTraceId(index, seed);
  const service = SYNTHETIC_SERVICES[index % SYNTHETIC_SERVICES.length]!;
  const resource = resourceOf(service);
  const fails = rand() < (options.errorRate ?? 0.05);
  const spans: Span[] = [];
  const rootStart =
    (options.startMs ?? Date.UTC(2026, 0, 1)) + index * (options.spacingMs ?? 1000) + rand() * 500;
  let clock = rootStart + 1 + rand() * 3;

  const make = (
    spanId: string,
    parentSpanId: string | undefined,
    name: string,
    kind: Span['kind'],
    startMs: number,
    endMs: number,
    attributes: Record<string, unknown>,
    error?: { type: string; message: string },
  ): Span => {
    const events: SpanEvent[] = error
      ? [
          {
            name: 'exception',
            timeUnixNano: msToNanos(endMs),
            attributes: {
              'exception.type': error.type,
              'exception.message': error.message,
              'exception.stacktrace': `Error: ${error.message}\n    at run (tools.js:12:7)`,
            },
          },
        ]
      : [];
    return {
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name,
      kind,
      startTimeUnixNano: msToNanos(startMs),
      endTimeUnixNano: msToNanos(endMs),
      status: error ? { code: 'ERROR', message: error.message } : { code: 'UNSET' },
      attributes: attributes as Attributes,
      events,
      serviceName: service,
      resource,
      scope: SCOPE,
    };
  };

  const rootId = hex(rand, 16);
  const conversationId = `conv-${seed}-${Math.floor(index / SYNTHETIC_TRACES_PER_CONVERSATION)}`;
  const workflow = WORKFLOWS[index % WORKFLOWS.length]!;
  const agentCount = rand() < 0.3 ? 2 : 1;
  const [provider, model] = pick(MODELS);
  let totalIn = 0;
  let totalOut = 0;
  let totalCost = 0;
  let failedAt: number | undefined = fails ? 0 : undefined;
  const children: Span[] = [];
  let previousAgent: string | undefined;
  for (let a = 0; a < agentCount; a++) {
    const agent = a === 0 ? AGENTS[index % 2]! : pick(AGENTS.slice(2));
    const agentId = hex(rand, 16);
    const agentStart = clock;
    if (previousAgent !== undefined) {
      const handoffStart = clock;
      clock += 0.5 + rand();
      children.push(
        make(hex(rand, 16), rootId, `handoff ${agent}`, 'INTERNAL', handoffStart, clock, {
          'agent_otel.span.kind': 'handoff',
          'agent_otel.handoff.from_agent': previousAgent,
          'agent_otel.handoff.to_agent': agent,
          'gen_ai.agent.name': previousAgent,
        }),
      );
    }
    const agentChildren: Span[] = [];
    let agentIn = 0;
    let agentOut = 0;
    let agentCost = 0;
    let agentError: { type: string; message: string } | undefined;
    const turns = 1 + Math.floor(rand() * 4);
    for (let t = 0; t < turns; t++) {
      const chatStart = clock + rand() * 2;
      const chatEnd = chatStart + 300 + rand() * 2500;
      clock = chatEnd;
      const input = 200 + Math.floor(rand() * 3000);
      const output = 20 + Math.floor(rand() * 600);
      const price = model === 'gpt-4o' ? [2.5, 10] : model === 'gpt-4o-mini' ? [0.15, 0.6] : [0.4, 1.6];
      const cost = model.startsWith('claude')
        ? Number(((input * 3 + output * 15) / 1e6).toFixed(12))
        : Number(((input * price[0]! + output * price[1]!) / 1e6).toFixed(12));
      agentIn += input;
      agentOut += output;
      agentCost += cost;
      const callsTool = t < turns - 1;
      const chat: Record<string, unknown> = {
        'gen_ai.operation.name': 'chat',
        'agent_otel.span.kind': 'generation',
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': model,
        'gen_ai.response.model': model,
        'gen_ai.response.id': `chatcmpl-${hex(rand, 20)}`,
        'gen_ai.response.finish_reasons': [callsTool ? 'tool_calls' : 'stop'],
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'agent_otel.cost.usd': cost,
        'server.address': provider === 'openai' ? 'api.openai.com' : 'api.anthropic.com',
        'server.port': 443,
        'gen_ai.conversation.id': conversationId,
      };
      if (contentChars > 0) {
        chat['gen_ai.input.messages'] = JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: text(rand, contentChars) }] },
        ]);
        chat['gen_ai.output.messages'] = JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'text', content: text(rand, contentChars) }],
            finish_reason: 'stop',
          },
        ]);
      }
      agentChildren.push(make(hex(rand, 16), agentId, `chat ${model}`, 'CLIENT', chatStart, chatEnd, chat));
      if (callsTool) {
        const tool = pick(TOOLS);
        const toolStart = clock + rand();
        const toolEnd = toolStart + 5 + rand() * 400;
        clock = toolEnd;
        const failsHere = failedAt === 0 && t === turns - 2;
        const error = failsHere
          ? { type: 'tool_error', message: `${tool} failed: upstream timeout` }
          : undefined;
        if (error) {
          agentError = error;
          failedAt = 1;
        }
        const attrs: Record<string, unknown> = {
          'gen_ai.operation.name': 'execute_tool',
          'agent_otel.span.kind': 'function',
          'gen_ai.tool.name': tool,
          'gen_ai.tool.type': 'function',
          'gen_ai.tool.call.id': `call_${hex(rand, 12)}`,
          ...(error ? { 'error.type': 'tool_error' } : {}),
        };
        if (contentChars > 0) {
          attrs['gen_ai.tool.call.arguments'] = JSON.stringify({ query: text(rand, 40) });
          attrs['gen_ai.tool.call.result'] = JSON.stringify({
            ok: !error,
            text: text(rand, contentChars / 2),
          });
        }
        agentChildren.push(
          make(hex(rand, 16), agentId, `execute_tool ${tool}`, 'INTERNAL', toolStart, toolEnd, attrs, error),
        );
      }
    }
    clock += 1 + rand() * 2;
    totalIn += agentIn;
    totalOut += agentOut;
    totalCost += agentCost;
    children.push(
      make(
        agentId,
        rootId,
        `invoke_agent ${agent}`,
        'INTERNAL',
        agentStart,
        clock,
        {
          'gen_ai.operation.name': 'invoke_agent',
          'agent_otel.span.kind': 'agent',
          'gen_ai.agent.name': agent,
          'gen_ai.agent.id': `agent-${agent.toLowerCase()}`,
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          'gen_ai.conversation.id': conversationId,
          'gen_ai.usage.input_tokens': agentIn,
          'gen_ai.usage.output_tokens': agentOut,
          'agent_otel.usage.model_calls': turns,
          'agent_otel.cost.usd': Number(agentCost.toFixed(12)),
        },
        agentError,
      ),
      ...agentChildren,
    );
    previousAgent = agent;
    if (agentError) break;
  }
  const rootEnd = clock + 1 + rand() * 3;
  spans.push(
    make(
      rootId,
      undefined,
      `invoke_workflow ${workflow}`,
      'INTERNAL',
      rootStart,
      rootEnd,
      {
        'gen_ai.operation.name': 'invoke_workflow',
        'agent_otel.span.kind': 'workflow',
        'gen_ai.agent.name': workflow,
        'gen_ai.conversation.id': conversationId,
        'agent_otel.metadata.tenant': `tenant-${index % SYNTHETIC_TENANTS}`,
        'agent_otel.metadata.user_id': `user-${(index * 7919) % SYNTHETIC_USERS}`,
        'agent_otel.metadata.env': index % 5 === 0 ? 'staging' : 'prod',
        'agent_otel.metadata.request_id': `req-${seed}-${index}`,
        'agent_otel.metadata.priority': 1 + (index % 5),
        'gen_ai.usage.input_tokens': totalIn,
        'gen_ai.usage.output_tokens': totalOut,
        'agent_otel.cost.usd': Number(totalCost.toFixed(12)),
      },
      failedAt === 1 ? { type: 'tool_error', message: 'the run failed' } : undefined,
    ),
    ...children,
  );
  return spans;
}

/**
 * Batches of about `batchSpans` spans (whole traces), `totalSpans` spans in all (the last trace may
 * go past it), traces numbered from `firstIndex`.
 */
export function* syntheticBatches(
  totalSpans: number,
  batchSpans: number,
  options: SyntheticOptions & { readonly firstIndex?: number } = {},
): Generator<Span[]> {
  let produced = 0;
  let index = options.firstIndex ?? 0;
  let batch: Span[] = [];
  while (produced < totalSpans) {
    const trace = syntheticTrace(index++, options);
    batch.push(...trace);
    produced += trace.length;
    if (batch.length >= batchSpans) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
