/** Token usage of one model call, as the provider reported it. */
export interface TokenUsage {
  /** Input tokens, cached tokens included (semconv `gen_ai.usage.input_tokens`). */
  inputTokens?: number;
  /** Output tokens, reasoning tokens included. */
  outputTokens?: number;
  /** Subset of input tokens read from the provider's prompt cache. */
  cacheReadInputTokens?: number;
  /** Subset of input tokens written to the provider's prompt cache. */
  cacheWriteInputTokens?: number;
  /** Subset of output tokens spent on reasoning. */
  reasoningOutputTokens?: number;
}
