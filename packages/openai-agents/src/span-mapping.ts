import {
  isRecord,
  numberOf,
  openAIAgentsInputMessages,
  openAIAgentsUsage,
  openAIFinishReasons,
  openAIOutputType,
  openAIResponsesFinishReason,
  openAIResponsesOutputMessages,
  openAIResponsesSystemInstructions,
  openAIToolDefinitions,
  openAIUsage,
  parseArguments,
  serverAddressFromURL,
  stringOf,
} from '@agent-otel/core/instrumentation';
import { type SpanData } from '@agent-otel/core';
import {
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
  OPENAI_API_TYPE_VALUE_CHAT_COMPLETIONS,
} from '@agent-otel/core/semconv';
import type { SpanData as SdkSpanData } from '@openai/agents';
import type { RequestedToolCall } from './internal-types.js';
import { aiSdkModelId, aiSdkProviderOf } from './utils.js';

/** What the mapping needs to know beyond the SDK span's own data. */
export interface MappingContext {
  /** Whether content (messages, tool arguments and results) is captured at all under core's policy. */
  readonly captureContent: boolean;
  /** The agent the span belongs to (its enclosing `agent` or `turn` span). */
  readonly agentName?: string;
  /** The SDK trace's group id (→ `gen_ai.conversation.id` on agent and model-call spans). */
  readonly conversationId?: string;
  /** The model's tool call this `function` / `handoff` span executes, when known. */
  readonly toolCall?: RequestedToolCall;
}

/** Name of the custom span an SDK `speech_group` becomes. */
export const SPEECH_GROUP_SPAN_NAME = 'speech_group';

type Rec = Record<string, unknown>;

function record(value: unknown): Rec | undefined {
  return isRecord(value) ? value : undefined;
}

function names(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** Tool-call arguments as the SDK records them (a JSON string): parsed when they are JSON. */
function toolArguments(input: unknown): unknown {
  return typeof input === 'string' && input !== '' ? parseArguments(input) : undefined;
}

/** The MCP server of an SDK function span (`mcp_data`: `{server}` or its JSON string). */
function mcpServer(mcpData: unknown): string | undefined {
  let value = mcpData;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return stringOf(record(value)?.server);
}

/**
 * Maps one SDK span's data onto agent-otel's span kinds, which core maps onto OTel (names, kinds,
 * attributes, content policy). One `switch` over the SDK's `SpanData` union: a new SDK span type is a
 * compile error here until it is mapped, and at run time becomes a generic span named after its type.
 * Content fields are filled only when `captureContent` is on (core records them only then anyway).
 */
export function toCoreSpanData(data: SdkSpanData, context: MappingContext): SpanData {
  const content = context.captureContent;
  switch (data.type) {
    case 'agent':
      return {
        type: 'agent',
        name: data.name,
        handoffs: names(data.handoffs),
        tools: names(data.tools),
        outputType: stringOf(data.output_type),
        conversationId: context.conversationId,
      };
    case 'task':
      return { type: 'task', name: data.name, usage: openAIAgentsUsage(data.usage) };
    case 'turn':
      return {
        type: 'turn',
        turn: data.turn,
        agentName: data.agent_name,
        usage: openAIAgentsUsage(data.usage),
      };
    case 'function': {
      const server = mcpServer(data.mcp_data);
      return {
        type: 'function',
        name: data.name,
        callId: context.toolCall?.callId,
        agentName: context.agentName,
        input: content ? toolArguments(data.input) : undefined,
        output: content ? stringOf(data.output) : undefined,
        mcp: server ? { server } : undefined,
      };
    }
    case 'generation': {
      // OpenAIChatCompletionsModel records the whole Chat Completions response as the only output.
      const completion = record(Array.isArray(data.output) ? data.output[0] : undefined);
      const config = record(data.model_config) ?? {};
      const server = serverAddressFromURL(config.base_url);
      // The SDK's own generation spans come from OpenAIChatCompletionsModel (OpenAI's API, whatever the
      // server); the AI SDK adapter of @openai/agents-extensions marks its own with its provider.
      const aiSdkProvider = aiSdkProviderOf(config);
      return {
        type: 'generation',
        model: aiSdkProvider === undefined ? stringOf(data.model) : aiSdkModelId(data.model, config),
        provider: aiSdkProvider ?? GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
        apiType: aiSdkProvider === undefined ? OPENAI_API_TYPE_VALUE_CHAT_COMPLETIONS : undefined,
        responseModel: stringOf(completion?.model),
        responseId: stringOf(completion?.id),
        finishReasons: openAIFinishReasons(completion?.choices),
        usage: openAIAgentsUsage(data.usage) ?? openAIUsage(completion?.usage),
        temperature: numberOf(config.temperature),
        topP: numberOf(config.top_p),
        frequencyPenalty: numberOf(config.frequency_penalty),
        presencePenalty: numberOf(config.presence_penalty),
        maxTokens: numberOf(config.max_tokens) ?? numberOf(config.max_completion_tokens),
        reasoningLevel: stringOf(config.reasoning_effort),
        systemFingerprint: stringOf(completion?.system_fingerprint),
        serverAddress: server.serverAddress,
        serverPort: server.serverPort,
        conversationId: context.conversationId,
        input: content ? data.input : undefined,
        output: content ? (completion ?? data.output) : undefined,
      };
    }
    case 'response': {
      const response = record(data._response);
      const finishReason = openAIResponsesFinishReason(response);
      const reasoning = record(response?.reasoning);
      return {
        type: 'response',
        responseId: stringOf(data.response_id) ?? stringOf(response?.id),
        // The Responses object names the model that answered; the SDK does not record the requested one.
        model: stringOf(response?.model),
        responseModel: stringOf(response?.model),
        finishReasons: finishReason ? [finishReason] : undefined,
        usage: openAIUsage(response?.usage),
        temperature: numberOf(response?.temperature),
        topP: numberOf(response?.top_p),
        maxTokens: numberOf(response?.max_output_tokens),
        reasoningLevel: stringOf(reasoning?.effort),
        outputType: openAIOutputType(record(response?.text)?.format),
        previousResponseId: stringOf(response?.previous_response_id),
        responseServiceTier: stringOf(response?.service_tier),
        conversationId: stringOf(record(response?.conversation)?.id) ?? context.conversationId,
        input: content && data._input !== undefined ? openAIAgentsInputMessages(data._input) : undefined,
        output: content && response ? openAIResponsesOutputMessages(response) : undefined,
        systemInstructions: content ? openAIResponsesSystemInstructions(response?.instructions) : undefined,
        toolDefinitions: content ? openAIToolDefinitions(response?.tools) : undefined,
      };
    }
    case 'handoff':
      return {
        type: 'handoff',
        fromAgent: stringOf(data.from_agent),
        toAgent: stringOf(data.to_agent),
        toolName: context.toolCall?.name,
        callId: context.toolCall?.callId,
      };
    case 'custom':
      return { type: 'custom', name: data.name, data: record(data.data) };
    case 'guardrail':
      return { type: 'guardrail', name: data.name, triggered: data.triggered };
    case 'transcription':
      return {
        type: 'transcription',
        model: stringOf(data.model),
        inputFormat: stringOf(record(data.input)?.format),
        language: stringOf(record(data.model_config)?.language),
        output: content ? stringOf(data.output) : undefined,
      };
    case 'speech':
      return {
        type: 'speech',
        model: stringOf(data.model),
        input: content ? stringOf(data.input) : undefined,
        outputFormat: stringOf(record(data.output)?.format),
      };
    case 'speech_group':
      // The TTS output of one voice turn: a grouping span, not an agent invocation (semconv has no
      // operation for it), so a custom span; the text it speaks is content.
      return {
        type: 'custom',
        name: SPEECH_GROUP_SPAN_NAME,
        data: content && stringOf(data.input) ? { input: data.input } : undefined,
      };
    case 'mcp_tools':
      return { type: 'mcp_tools', server: stringOf(data.server), result: names(data.result) };
    default: {
      const unmapped: never = data;
      return { type: 'custom', name: String((unmapped as { type?: unknown }).type ?? 'unknown') };
    }
  }
}

/** Whether an SDK model-call span carries content (the SDK omits it when `traceIncludeSensitiveData` is off). */
export function sdkModelCallHasContent(data: SdkSpanData): boolean {
  if (data.type === 'response') return data._input !== undefined || data._response !== undefined;
  if (data.type === 'generation') return data.input !== undefined || data.output !== undefined;
  return true;
}

/**
 * The function calls an SDK model-call span's output asks for (names and call ids only: no content),
 * so the `function` / `handoff` spans that execute them get their `gen_ai.tool.call.id`.
 */
export function requestedToolCalls(data: SdkSpanData): RequestedToolCall[] | undefined {
  const calls: RequestedToolCall[] = [];
  if (data.type === 'response') {
    const output = record(data._response)?.output;
    if (!Array.isArray(output)) return undefined;
    for (const item of output) {
      const call = record(item);
      if (call?.type !== 'function_call') continue;
      const name = stringOf(call.name);
      const callId = stringOf(call.call_id);
      if (name && callId) calls.push({ name, callId });
    }
  } else if (data.type === 'generation') {
    const completion = record(Array.isArray(data.output) ? data.output[0] : undefined);
    const choices = completion?.choices;
    const message = record(record(Array.isArray(choices) ? choices[0] : undefined)?.message);
    const toolCalls = message?.tool_calls;
    if (!Array.isArray(toolCalls)) return undefined;
    for (const item of toolCalls) {
      const call = record(item);
      const name = stringOf(record(call?.function)?.name);
      const callId = stringOf(call?.id);
      if (name && callId) calls.push({ name, callId });
    }
  }
  return calls.length > 0 ? calls : undefined;
}
