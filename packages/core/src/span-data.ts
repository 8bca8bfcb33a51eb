import type { TokenUsage } from './usage.js';

/**
 * Model request parameters shared by generation, response and agent spans. Each maps to a
 * `gen_ai.request.*` attribute.
 */
export interface ModelRequestParameters {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stopSequences?: string[];
  seed?: number;
  choiceCount?: number;
  /** Exact reasoning effort sent, e.g. `low` / `medium` / `high`. */
  reasoningLevel?: string;
  /** Requested output modality: `text`, `json`, `image`, `speech`. */
  outputType?: string;
}

/** Fields common to every model call (generation, response). */
interface ModelCallFields extends ModelRequestParameters {
  /** Requested model (`gen_ai.request.model`). */
  model?: string;
  /** Provider (`gen_ai.provider.name`), e.g. `openai`, `anthropic`. */
  provider?: string;
  /** Model actually used (`gen_ai.response.model`). */
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  usage?: TokenUsage;
  stream?: boolean;
  /** Seconds from request to first streamed chunk. */
  timeToFirstChunk?: number;
  serverAddress?: string;
  serverPort?: number;
  conversationId?: string;
  /** Input messages (GenAI shape or `{role, content}`); recorded only when content capture is on. */
  input?: unknown;
  /** Output messages/choices; recorded only when content capture is on. */
  output?: unknown;
  /** System instructions passed apart from the chat history; content. */
  systemInstructions?: unknown;
  /** Tool definitions offered to the model; content. */
  toolDefinitions?: unknown;
}

/** The root of a trace: a whole agent workflow (`invoke_workflow`). */
export interface WorkflowSpanData {
  type: 'workflow';
  name: string;
  /** Conversation / session / thread id grouping several traces (`gen_ai.conversation.id`). */
  groupId?: string;
  /** Free-form metadata; each entry becomes `agent_otel.metadata.<key>`. */
  metadata?: Record<string, unknown>;
  /** An id the calling framework gave this trace, kept as `agent_otel.source.trace_id`. */
  sourceTraceId?: string;
}

/** One in-process run of an agent (`invoke_agent`). */
export interface AgentSpanData {
  type: 'agent';
  name: string;
  description?: string;
  /** Stable provider id of a hosted agent only; not transient in-memory ids. */
  id?: string;
  version?: string;
  /** Only when the agent uses exactly one model. */
  model?: string;
  handoffs?: string[];
  tools?: string[];
  outputType?: string;
  conversationId?: string;
}

/** A model call through a chat-style API (`chat`, `text_completion`, `generate_content`). */
export interface GenerationSpanData extends ModelCallFields {
  type: 'generation';
  /** Defaults to `chat`. */
  operation?: 'chat' | 'text_completion' | 'generate_content';
  /** Provider API flavour, e.g. `chat_completions` (`openai.api.type`). */
  apiType?: string;
}

/** A model call through the OpenAI Responses API (or another response-object API). */
export interface ResponseSpanData extends ModelCallFields {
  type: 'response';
  previousResponseId?: string;
}

/** An embeddings call. */
export interface EmbeddingsSpanData {
  type: 'embeddings';
  model?: string;
  provider?: string;
  responseModel?: string;
  dimensionCount?: number;
  encodingFormats?: string[];
  usage?: TokenUsage;
  serverAddress?: string;
  serverPort?: number;
}

/** A function / tool execution (`execute_tool`). */
export interface FunctionSpanData {
  type: 'function';
  name: string;
  description?: string;
  /** Id of the tool call from the model, `gen_ai.tool.call.id`. */
  callId?: string;
  /** `function` (default), `extension`, `datastore`. */
  toolType?: string;
  /** The agent executing the tool. */
  agentName?: string;
  /** Tool arguments; content. */
  input?: unknown;
  /** Tool result; content. */
  output?: unknown;
}

/** A transfer of control from one agent to another. */
export interface HandoffSpanData {
  type: 'handoff';
  fromAgent?: string;
  toAgent?: string;
  /** The transfer tool's name if the handoff was a tool call, e.g. `transfer_to_billing`. */
  toolName?: string;
  callId?: string;
}

/** A guardrail check. */
export interface GuardrailSpanData {
  type: 'guardrail';
  name: string;
  triggered?: boolean;
  /** What was checked: `input`, `output`, `tool_input`, `tool_output`. */
  source?: 'input' | 'output' | 'tool_input' | 'tool_output';
}

/** Listing the tools of an MCP server. */
export interface McpToolsSpanData {
  type: 'mcp_tools';
  server?: string;
  /** Tool names returned. */
  result?: string[];
  sessionId?: string;
}

/** Calling a tool on an MCP server. */
export interface McpCallSpanData {
  type: 'mcp_call';
  toolName: string;
  server?: string;
  callId?: string;
  sessionId?: string;
  requestId?: string | number;
  /** Tool arguments; content. */
  input?: unknown;
  /** Tool result; content. */
  output?: unknown;
  /** The result was flagged `isError` (→ `error.type=tool_error`). */
  isError?: boolean;
}

/** Anything else the user wants on the timeline. */
export interface CustomSpanData {
  type: 'custom';
  /** A low-cardinality name; becomes the span name. */
  name: string;
  /** Recorded (redacted, size-capped) as `agent_otel.custom.data`. */
  data?: Record<string, unknown>;
}

/** Text-to-speech. */
export interface SpeechSpanData {
  type: 'speech';
  model?: string;
  provider?: string;
  /** Text spoken; content. */
  input?: string;
  outputFormat?: string;
  serverAddress?: string;
  serverPort?: number;
  usage?: TokenUsage;
}

/** Speech-to-text. */
export interface TranscriptionSpanData {
  type: 'transcription';
  model?: string;
  provider?: string;
  inputFormat?: string;
  /** The transcript; content. */
  output?: string;
  language?: string;
  serverAddress?: string;
  serverPort?: number;
  usage?: TokenUsage;
}

/** A task: one unit of work of a runner (e.g. the OpenAI Agents SDK `task`). */
export interface TaskSpanData {
  type: 'task';
  name: string;
  usage?: TokenUsage;
}

/** One turn of an agent loop. */
export interface TurnSpanData {
  type: 'turn';
  turn: number;
  agentName: string;
  usage?: TokenUsage;
}

/** Every agent-otel span kind, discriminated on `type`. */
export type SpanData =
  | WorkflowSpanData
  | AgentSpanData
  | GenerationSpanData
  | ResponseSpanData
  | EmbeddingsSpanData
  | FunctionSpanData
  | HandoffSpanData
  | GuardrailSpanData
  | McpToolsSpanData
  | McpCallSpanData
  | CustomSpanData
  | SpeechSpanData
  | TranscriptionSpanData
  | TaskSpanData
  | TurnSpanData;

/** The `type` of a span kind. */
export type SpanType = SpanData['type'];
