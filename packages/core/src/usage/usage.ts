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
  /**
   * Per-modality breakdowns, as the provider reports them (each a subset of the total above): the
   * `gen_ai.usage.{text,image,audio}.*` attributes and the `gen_ai.token.modality` of the usage metrics.
   */
  modalities?: {
    text?: ModalityUsage;
    image?: ModalityUsage;
    audio?: ModalityUsage;
  };
}

/** The tokens of one modality of a model call. */
export interface ModalityUsage {
  inputTokens?: number;
  cacheReadInputTokens?: number;
  outputTokens?: number;
}
