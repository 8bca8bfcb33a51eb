import type { Span } from '@opentelemetry/api';
import { estimateCost } from './pricing.js';
import * as sc from '../semconv.js';
import type { TokenUsage } from './usage.js';

/**
 * Sums the usage of the model calls made beneath an agent or workflow span. One accumulator per such
 * span rides on the OTel context; a model call adds its usage to every accumulator above it.
 */
export class UsageRollup {
  inputTokens = 0;
  outputTokens = 0;
  cacheReadInputTokens = 0;
  cacheWriteInputTokens = 0;
  reasoningOutputTokens = 0;
  modelCalls = 0;
  costUsd = 0;
  /** False once any call beneath had usage but no price, so the cost is a lower bound. */
  fullyPriced = true;
  /** The input of the first model call beneath (content; kept only while content is captured). */
  firstInput: unknown = undefined;
  /** The output of the last model call beneath that had one (content; likewise). */
  lastOutput: unknown = undefined;

  constructor(
    /** The enclosing accumulator (outer agent or workflow), if any. */
    readonly parent: UsageRollup | undefined,
  ) {}

  /**
   * Keeps the first input and the last output of the model calls beneath, for the run's own content
   * (see `AgentSpanData.input`); called only when content is captured.
   */
  static addModelCallContent(start: UsageRollup | undefined, input: unknown, output: unknown): void {
    for (let rollup = start; rollup; rollup = rollup.parent) {
      if (rollup.firstInput === undefined) rollup.firstInput = input;
      if (output !== undefined) rollup.lastOutput = output;
    }
  }

  /** Adds one model call to this accumulator and every one above it. */
  static addModelCall(
    start: UsageRollup | undefined,
    usage: TokenUsage | undefined,
    cost: number | undefined,
  ): void {
    for (let rollup = start; rollup; rollup = rollup.parent) {
      rollup.modelCalls += 1;
      if (!usage) continue;
      rollup.inputTokens += usage.inputTokens ?? 0;
      rollup.outputTokens += usage.outputTokens ?? 0;
      rollup.cacheReadInputTokens += usage.cacheReadInputTokens ?? 0;
      rollup.cacheWriteInputTokens += usage.cacheWriteInputTokens ?? 0;
      rollup.reasoningOutputTokens += usage.reasoningOutputTokens ?? 0;
      if (cost === undefined) rollup.fullyPriced = false;
      else rollup.costUsd += cost;
    }
  }

  /**
   * Writes the totals onto the agent/workflow span (only when a model call happened beneath): input
   * and output as `gen_ai.usage.*`, which v0.1.0 recommends on the invoke_agent span (workflows are
   * its `invoke_workflow` form).
   */
  writeTo(span: Span): void {
    if (this.modelCalls === 0) return;
    span.setAttribute(sc.ATTR_GEN_AI_USAGE_INPUT_TOKENS, this.inputTokens);
    span.setAttribute(sc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, this.outputTokens);
    // Cache and reasoning totals stay under our prefix: semconv drops them from agent spans (#469),
    // since a sum across models would mislead.
    if (this.cacheReadInputTokens) {
      span.setAttribute(sc.ATTR_AGENT_OTEL_USAGE_CACHE_READ_INPUT_TOKENS, this.cacheReadInputTokens);
    }
    if (this.cacheWriteInputTokens) {
      span.setAttribute(sc.ATTR_AGENT_OTEL_USAGE_CACHE_WRITE_INPUT_TOKENS, this.cacheWriteInputTokens);
    }
    if (this.reasoningOutputTokens) {
      span.setAttribute(sc.ATTR_AGENT_OTEL_USAGE_REASONING_OUTPUT_TOKENS, this.reasoningOutputTokens);
    }
    span.setAttribute(sc.ATTR_AGENT_OTEL_USAGE_MODEL_CALLS, this.modelCalls);
    if (this.costUsd > 0) span.setAttribute(sc.ATTR_AGENT_OTEL_COST_USD, roundCost(this.costUsd));
  }
}

/** Rounds a dollar amount to 1e-9 so float noise does not show in attributes. */
export function roundCost(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The model-call model for pricing: the model actually used, else the one requested. */
export function costOf(model: string | undefined, usage: TokenUsage | undefined): number | undefined {
  if (!model || !usage) return undefined;
  const cost = estimateCost(model, usage);
  return cost === undefined ? undefined : roundCost(cost);
}
