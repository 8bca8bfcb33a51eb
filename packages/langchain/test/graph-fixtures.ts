// Shared fixtures of the LangGraph / chains tests: the scripted ChatOpenAI, tools, and span-dump helpers.
import { ChatOpenAI } from '@langchain/openai';
import { tool } from '@langchain/core/tools';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { z } from 'zod';

/** A ChatOpenAI talking to the scripted server (no retries, so errors and aborts surface at once). */
export function scriptedChatModel(baseURL: string, model = 'gpt-4o-mini'): ChatOpenAI {
  return new ChatOpenAI({ model, apiKey: 'sk-test', maxRetries: 0, configuration: { baseURL } });
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The tools take a few milliseconds, so that parallel calls overlap.
export const weatherTool = tool(async ({ city }) => (await sleep(20), `sunny in ${city}`), {
  name: 'weather',
  description: 'The weather in a city',
  schema: z.object({ city: z.string() }),
});

export const timeTool = tool(async ({ city }) => (await sleep(20), `12:00 in ${city}`), {
  name: 'time',
  description: 'The time in a city',
  schema: z.object({ city: z.string() }),
});

/** The span whose id is `spanId`. */
export function spanById(
  spans: readonly ReadableSpan[],
  spanId: string | undefined,
): ReadableSpan | undefined {
  return spanId === undefined ? undefined : spans.find((span) => span.spanContext().spanId === spanId);
}

/** The topmost ancestor of `span` among `spans`. */
export function rootOf(spans: readonly ReadableSpan[], span: ReadableSpan): ReadableSpan {
  let current = span;
  for (;;) {
    const parent = spanById(spans, current.parentSpanContext?.spanId);
    if (parent === undefined) return current;
    current = parent;
  }
}

/** The parent span of `span` among `spans`. */
export function parentSpan(spans: readonly ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined {
  return spanById(spans, span.parentSpanContext?.spanId);
}

/** The spans named `name`. */
export function named(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}
