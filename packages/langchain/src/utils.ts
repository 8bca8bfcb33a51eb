import type { ModelRequestParameters, TokenUsage } from '@agent-otel/core';
import {
  isRecord,
  normalizeFinishReason,
  safeString,
  toChatMessages,
} from '@agent-otel/core/instrumentation';
import type {
  DocumentLike,
  GenerationLike,
  LLMResultLike,
  MessageLike,
  SerializedLike,
  UsageMetadataLike,
} from './internal-types.js';

/** A non-empty string, else `undefined`. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number, else `undefined`. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-negative safe integer, else `undefined`. */
export function countOf(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** The class name of a serialized runnable (the last entry of its `id`), else `undefined`. */
export function className(serialized: SerializedLike | undefined): string | undefined {
  const id = isRecord(serialized) && Array.isArray(serialized.id) ? serialized.id : undefined;
  return id === undefined ? undefined : stringOf(id[id.length - 1]);
}

/** The name of a run: the run name LangChain reports, else the serialized name, else the class name. */
export function runName(serialized: SerializedLike | undefined, name: unknown): string | undefined {
  return (
    stringOf(name) ?? (isRecord(serialized) ? stringOf(serialized.name) : undefined) ?? className(serialized)
  );
}

/**
 * `gen_ai.provider.name` of a chat model or LLM: from its class (`ChatOpenAI` → `openai`, …), else from
 * LangChain's `ls_provider` metadata, mapped onto the v0.1.0 list; an unknown provider keeps LangChain's
 * own name.
 */
const PROVIDER_BY_CLASS: Readonly<Record<string, string>> = {
  ChatOpenAI: 'openai',
  OpenAI: 'openai',
  AzureChatOpenAI: 'azure.ai.openai',
  AzureOpenAI: 'azure.ai.openai',
  ChatAnthropic: 'anthropic',
  ChatAnthropicMessages: 'anthropic',
  ChatGoogleGenerativeAI: 'gcp.gemini',
  ChatGoogle: 'gcp.gemini',
  ChatVertexAI: 'gcp.vertex_ai',
  ChatBedrockConverse: 'aws.bedrock',
  ChatBedrock: 'aws.bedrock',
  BedrockChat: 'aws.bedrock',
  ChatMistralAI: 'mistral_ai',
  ChatCohere: 'cohere',
  ChatGroq: 'groq',
  ChatDeepSeek: 'deepseek',
  ChatXAI: 'x_ai',
  ChatPerplexity: 'perplexity',
  ChatWatsonx: 'ibm.watsonx.ai',
};

const PROVIDER_BY_LS_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  anthropic: 'anthropic',
  google_genai: 'gcp.gemini',
  google_vertexai: 'gcp.vertex_ai',
  google: 'gcp.gemini',
  amazon_bedrock: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
  cohere: 'cohere',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
  watsonx: 'ibm.watsonx.ai',
};

/** See {@link PROVIDER_BY_CLASS}. */
export function providerName(
  serialized: SerializedLike | undefined,
  metadata: Record<string, unknown> | undefined,
): string | undefined {
  const name = className(serialized);
  if (name !== undefined && Object.hasOwn(PROVIDER_BY_CLASS, name)) return PROVIDER_BY_CLASS[name];
  const lsProvider = stringOf(metadata?.ls_provider);
  if (lsProvider === undefined) return undefined;
  const key = lsProvider.toLowerCase();
  return Object.hasOwn(PROVIDER_BY_LS_PROVIDER, key) ? PROVIDER_BY_LS_PROVIDER[key] : lsProvider;
}

/** The requested model of a chat model or LLM run. */
export function requestModel(
  params: Record<string, unknown> | undefined,
  metadata: Record<string, unknown> | undefined,
  serialized: SerializedLike | undefined,
): string | undefined {
  const kwargs = isRecord(serialized) && isRecord(serialized.kwargs) ? serialized.kwargs : undefined;
  return (
    stringOf(params?.model) ??
    stringOf(params?.model_name) ??
    stringOf(params?.modelName) ??
    stringOf(metadata?.ls_model_name) ??
    stringOf(kwargs?.model) ??
    stringOf(kwargs?.model_name)
  );
}

function stopSequences(value: unknown): string[] | undefined {
  if (typeof value === 'string' && value) return [value];
  if (!Array.isArray(value)) return undefined;
  const result = value.filter((item): item is string => typeof item === 'string');
  return result.length > 0 ? result : undefined;
}

/** Request parameters from a run's `invocation_params` (OpenAI- and Anthropic-style keys) and `ls_*` metadata. */
export function requestParameters(
  params: Record<string, unknown> | undefined,
  metadata: Record<string, unknown> | undefined,
): ModelRequestParameters & { stream?: boolean } {
  const p = params ?? {};
  const choiceCount = countOf(p.n);
  return {
    temperature: numberOf(p.temperature) ?? numberOf(metadata?.ls_temperature),
    maxTokens:
      countOf(p.max_tokens) ??
      countOf(p.max_completion_tokens) ??
      countOf(p.max_output_tokens) ??
      countOf(p.maxTokens) ??
      countOf(metadata?.ls_max_tokens),
    topP: numberOf(p.top_p) ?? numberOf(p.topP),
    topK: countOf(p.top_k) ?? countOf(p.topK),
    frequencyPenalty: numberOf(p.frequency_penalty),
    presencePenalty: numberOf(p.presence_penalty),
    stopSequences:
      stopSequences(p.stop) ?? stopSequences(p.stop_sequences) ?? stopSequences(metadata?.ls_stop),
    seed: countOf(p.seed),
    choiceCount: choiceCount !== undefined && choiceCount !== 1 ? choiceCount : undefined,
    stream: p.stream === true || p.streaming === true ? true : undefined,
  };
}

/** The role of a LangChain message in GenAI terms. */
function roleOf(message: MessageLike): string {
  let type: unknown = message.type;
  if (typeof type !== 'string') {
    try {
      type = message._getType?.() ?? message.getType?.();
    } catch {
      type = undefined;
    }
  }
  switch (type) {
    case 'human':
    case 'user':
      return 'user';
    case 'ai':
    case 'assistant':
    case 'AIMessageChunk':
      return 'assistant';
    case 'system':
    case 'developer':
      return 'system';
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return typeof message.role === 'string' ? message.role : 'user';
  }
}

/** A LangChain message in the OpenAI chat shape core's message normalisation reads. */
function toOpenAIShape(message: unknown): unknown {
  if (!isRecord(message)) return message;
  const item = message as MessageLike;
  const role = roleOf(item);
  const calls = Array.isArray(item.tool_calls) && item.tool_calls.length > 0;
  // An assistant message with only tool calls has content '' in LangChain (null on the wire): no empty text part.
  const shaped: Record<string, unknown> = {
    role,
    content: calls && item.content === '' ? null : (item.content ?? ''),
  };
  if (role === 'tool') shaped.tool_call_id = item.tool_call_id;
  if (Array.isArray(item.tool_calls) && item.tool_calls.length > 0) {
    shaped.tool_calls = item.tool_calls.filter(isRecord).map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.args },
    }));
  }
  return shaped;
}

/** GenAI input messages from LangChain messages (one prompt's list). */
export function inputMessages(messages: unknown): unknown {
  if (!Array.isArray(messages)) return undefined;
  return toChatMessages(messages.map(toOpenAIShape));
}

/** GenAI input messages from an LLM's prompt strings (each a user message). */
export function promptMessages(prompts: unknown): unknown {
  if (!Array.isArray(prompts)) return undefined;
  return toChatMessages(prompts.map((prompt) => ({ role: 'user', content: safeString(prompt) })));
}

/** The first prompt's generations of an `LLMResult`. */
export function firstGenerations(output: LLMResultLike | undefined): readonly GenerationLike[] {
  const generations = isRecord(output) && Array.isArray(output.generations) ? output.generations : undefined;
  const first = generations?.[0];
  return Array.isArray(first) ? first.filter(isRecord) : [];
}

/** The provider's finish reason of one generation. */
function rawFinishReason(generation: GenerationLike): string | undefined {
  const info = isRecord(generation.generationInfo) ? generation.generationInfo : undefined;
  const meta = isRecord(generation.message?.response_metadata)
    ? generation.message.response_metadata
    : undefined;
  // A streamed Anthropic message keeps its stop reason in additional_kwargs only.
  const kwargs = isRecord(generation.message?.additional_kwargs)
    ? generation.message.additional_kwargs
    : undefined;
  return (
    stringOf(info?.finish_reason) ??
    stringOf(info?.finishReason) ?? // the OpenAI LLM (completions)
    stringOf(info?.stop_reason) ??
    stringOf(meta?.finish_reason) ??
    stringOf(meta?.stop_reason) ??
    stringOf(meta?.finishReason) ??
    stringOf(kwargs?.stop_reason)
  );
}

/** `gen_ai.response.finish_reasons` of the generations. */
export function finishReasons(generations: readonly GenerationLike[]): string[] | undefined {
  const reasons: string[] = [];
  for (const generation of generations) {
    const reason = rawFinishReason(generation);
    if (reason !== undefined) reasons.push(normalizeFinishReason(reason));
  }
  return reasons.length > 0 ? reasons : undefined;
}

/** GenAI output messages of the generations (a chat model's messages, else an LLM's text). */
export function outputMessages(generations: readonly GenerationLike[]): unknown {
  const messages = generations.map((generation) => {
    const message = isRecord(generation.message) ? toOpenAIShape(generation.message) : undefined;
    const shaped = isRecord(message)
      ? { ...message, role: 'assistant' }
      : { role: 'assistant', content: safeString(generation.text ?? '') };
    const reason = rawFinishReason(generation);
    return reason === undefined ? shaped : { ...shaped, finish_reason: reason };
  });
  return messages.length > 0 ? messages : undefined;
}

/** The response id and model the generations (or `llmOutput`) report. */
export function responseFields(
  generations: readonly GenerationLike[],
  llmOutput: Record<string, unknown> | undefined,
): { responseId?: string; responseModel?: string } {
  const message = generations.find((generation) => isRecord(generation.message))?.message;
  const meta = isRecord(message?.response_metadata) ? message.response_metadata : undefined;
  const info = generations.find((generation) => isRecord(generation.generationInfo))?.generationInfo;
  const kwargs = isRecord(message?.additional_kwargs) ? message.additional_kwargs : undefined;
  return {
    responseId:
      stringOf(meta?.id) ?? stringOf(llmOutput?.id) ?? stringOf(message?.id) ?? stringOf(kwargs?.id),
    // `model_name` first: a streamed Responses call concatenates the chunks' `model`.
    responseModel:
      stringOf(meta?.model_name) ??
      stringOf(meta?.model) ??
      stringOf(info?.model_name) ??
      stringOf(llmOutput?.model_name) ??
      stringOf(llmOutput?.model) ??
      stringOf(kwargs?.model),
  };
}

function usageFromMetadata(usage: UsageMetadataLike): TokenUsage | undefined {
  const input = isRecord(usage.input_token_details) ? usage.input_token_details : {};
  const output = isRecord(usage.output_token_details) ? usage.output_token_details : {};
  const result: TokenUsage = {
    inputTokens: countOf(usage.input_tokens),
    outputTokens: countOf(usage.output_tokens),
    cacheReadInputTokens: countOf(input.cache_read),
    cacheWriteInputTokens: countOf(input.cache_creation),
    reasoningOutputTokens: countOf(output.reasoning),
  };
  const audioInput = countOf(input.audio);
  const audioOutput = countOf(output.audio);
  if (audioInput || audioOutput) {
    result.modalities = {
      audio: { inputTokens: audioInput || undefined, outputTokens: audioOutput || undefined },
    };
  }
  return result.inputTokens !== undefined || result.outputTokens !== undefined ? result : undefined;
}

function usageFromLLMOutput(llmOutput: Record<string, unknown> | undefined): TokenUsage | undefined {
  const usage = isRecord(llmOutput?.tokenUsage)
    ? llmOutput.tokenUsage
    : isRecord(llmOutput?.estimatedTokenUsage)
      ? llmOutput.estimatedTokenUsage
      : isRecord(llmOutput?.usage)
        ? llmOutput.usage
        : undefined;
  if (usage === undefined) return undefined;
  const result: TokenUsage = {
    inputTokens: countOf(usage.promptTokens) ?? countOf(usage.input_tokens) ?? countOf(usage.prompt_tokens),
    outputTokens:
      countOf(usage.completionTokens) ?? countOf(usage.output_tokens) ?? countOf(usage.completion_tokens),
  };
  return result.inputTokens !== undefined || result.outputTokens !== undefined ? result : undefined;
}

/**
 * The usage of a model run: the messages' `usage_metadata` (summed over the generations; cache and
 * reasoning details included), else `llmOutput.tokenUsage`.
 */
export function tokenUsage(
  generations: readonly GenerationLike[],
  llmOutput: Record<string, unknown> | undefined,
): TokenUsage | undefined {
  let total: TokenUsage | undefined;
  for (const generation of generations) {
    const metadata = generation.message?.usage_metadata;
    const usage = isRecord(metadata) ? usageFromMetadata(metadata) : undefined;
    if (usage === undefined) continue;
    total = total === undefined ? usage : addUsage(total, usage);
    // n > 1: every choice repeats the call's usage; count it once.
    break;
  }
  return total ?? usageFromLLMOutput(llmOutput);
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  return {
    inputTokens: sum(a.inputTokens, b.inputTokens),
    outputTokens: sum(a.outputTokens, b.outputTokens),
    cacheReadInputTokens: sum(a.cacheReadInputTokens, b.cacheReadInputTokens),
    cacheWriteInputTokens: sum(a.cacheWriteInputTokens, b.cacheWriteInputTokens),
    reasoningOutputTokens: sum(a.reasoningOutputTokens, b.reasoningOutputTokens),
  };
}

/** Tool definitions (OpenAI function format) from a run's `invocation_params.tools`. */
export function toolDefinitions(params: Record<string, unknown> | undefined): unknown {
  const tools = params?.tools;
  return Array.isArray(tools) && tools.length > 0 ? tools : undefined;
}

/** A tool's input as LangChain reports it (a string, usually JSON): parsed when it is JSON. */
export function toolInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const trimmed = input.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return input;
    }
  }
  return input;
}

/** A tool's output: a `ToolMessage`'s content, else the value. */
export function toolOutput(output: unknown): unknown {
  if (isRecord(output) && 'content' in output && ('tool_call_id' in output || roleOf(output) === 'tool')) {
    return output.content;
  }
  return output;
}

/** True for a `ToolMessage` whose status says the tool failed (LangGraph's ToolNode turns errors into these). */
export function isErrorToolMessage(output: unknown): boolean {
  return isRecord(output) && output.status === 'error' && 'tool_call_id' in output;
}

/** Retrieved documents in the shape `gen_ai.retrieval.documents` records: `{ id?, content, metadata? }`. */
export function retrievedDocuments(documents: unknown): unknown {
  if (!Array.isArray(documents)) return undefined;
  return documents.map((document: unknown) => {
    if (!isRecord(document)) return { content: safeString(document) };
    const doc = document as DocumentLike;
    const result: Record<string, unknown> = { content: doc.pageContent };
    if (doc.id !== undefined && doc.id !== null) result.id = doc.id;
    if (isRecord(doc.metadata) && Object.keys(doc.metadata).length > 0) result.metadata = doc.metadata;
    return result;
  });
}

/** Metadata keys LangChain and LangGraph set themselves (not the user's metadata). */
const INTERNAL_METADATA = /^(ls_|langgraph_|lc_|checkpoint_|__)/;
/** Tags LangChain and LangGraph set themselves. */
const INTERNAL_TAG = /^(langsmith:|seq:step:|graph:step:|map:key:)/;

/** The user's metadata of a run (LangChain's and LangGraph's own keys left out). */
export function userMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!isRecord(metadata)) return result;
  for (const key of Object.keys(metadata)) {
    if (
      !INTERNAL_METADATA.test(key) &&
      key !== 'thread_id' &&
      key !== 'checkpoint_id' &&
      key !== 'versions'
    ) {
      result[key] = metadata[key];
    }
  }
  return result;
}

/** The user's tags of a run (LangChain's and LangGraph's own left out). */
export function userTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.filter((tag): tag is string => typeof tag === 'string' && !INTERNAL_TAG.test(tag));
}

/** True when the run is marked hidden (`langsmith:hidden`: LangGraph's own plumbing). */
export function isHidden(tags: unknown): boolean {
  return Array.isArray(tags) && tags.includes('langsmith:hidden');
}
