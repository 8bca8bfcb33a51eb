// The parts of LangChain's callback arguments this package reads. `@langchain/core` is never imported
// at run time: the handler must work with every copy of it in the process (ESM and CommonJS builds, 0.3
// and 1.x), so everything is read structurally and defensively.

/** `Serialized`: how LangChain describes the runnable, model, tool or retriever of a run. */
export interface SerializedLike {
  readonly id?: readonly unknown[];
  readonly name?: unknown;
  readonly kwargs?: Record<string, unknown>;
}

/** A LangChain message (`BaseMessage`) or a plain message object. */
export interface MessageLike {
  readonly content?: unknown;
  readonly role?: unknown;
  readonly type?: unknown;
  readonly name?: unknown;
  readonly id?: unknown;
  readonly tool_calls?: unknown;
  readonly tool_call_id?: unknown;
  readonly usage_metadata?: UsageMetadataLike;
  readonly response_metadata?: Record<string, unknown>;
  readonly additional_kwargs?: Record<string, unknown>;
  readonly status?: unknown;
  readonly _getType?: () => unknown;
  readonly getType?: () => unknown;
}

/** `UsageMetadata` of an AI message. */
export interface UsageMetadataLike {
  readonly input_tokens?: unknown;
  readonly output_tokens?: unknown;
  readonly total_tokens?: unknown;
  readonly input_token_details?: Record<string, unknown>;
  readonly output_token_details?: Record<string, unknown>;
}

/** One generation of an `LLMResult`. */
export interface GenerationLike {
  readonly text?: unknown;
  readonly message?: MessageLike;
  readonly generationInfo?: Record<string, unknown>;
}

/** `LLMResult`, the output `handleLLMEnd` receives. */
export interface LLMResultLike {
  readonly generations?: readonly (readonly GenerationLike[])[];
  readonly llmOutput?: Record<string, unknown>;
}

/** A retrieved `Document`. */
export interface DocumentLike {
  readonly pageContent?: unknown;
  readonly metadata?: unknown;
  readonly id?: unknown;
}
