import type { TokenUsage } from '../usage/usage.js';

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
  /**
   * Seconds between consecutive streamed chunks after the first (for the
   * `gen_ai.client.inference.time_per_output_chunk` metric; set by `traceClientCall` when metrics are on).
   */
  outputChunkIntervals?: number[];
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
  /**
   * The run's input messages (content, opt-in). Unset: the input of the first model call beneath
   * the span, when content capture is on.
   */
  input?: unknown;
  /** The run's output messages (content, opt-in). Unset: the output of the last model call beneath. */
  output?: unknown;
}

/** One in-process run of an agent (`invoke_agent`). */
export interface AgentSpanData {
  type: 'agent';
  name: string;
  description?: string;
  /** The agent's id (`agent_otel.agent.id`; `gen_ai.agent.id` is for hosted agents only). */
  id?: string;
  /** The agent's version (`agent_otel.agent.version`). */
  version?: string;
  /** Only when the agent uses exactly one model. */
  model?: string;
  handoffs?: string[];
  tools?: string[];
  outputType?: string;
  conversationId?: string;
  /** Input messages of this run (content); unset: the input of the first model call beneath. */
  input?: unknown;
  /** Output messages of this run (content); unset: the output of the last model call beneath. */
  output?: unknown;
}

/** OpenAI refinements of a model call (`openai.*` attributes). */
interface OpenAIModelCallFields {
  /** Service tier requested (`openai.request.service_tier`). */
  serviceTier?: string;
  /** Service tier that served the request (`openai.response.service_tier`). */
  responseServiceTier?: string;
  /** Backend fingerprint of the response (`openai.response.system_fingerprint`). */
  systemFingerprint?: string;
}

/** A model call through a chat-style API (`chat`, `text_completion`, `generate_content`). */
export interface GenerationSpanData extends ModelCallFields, OpenAIModelCallFields {
  type: 'generation';
  /** Defaults to `chat`. */
  operation?: 'chat' | 'text_completion' | 'generate_content';
  /** Provider API flavour, e.g. `chat_completions` (`openai.api.type`). */
  apiType?: string;
}

/** A model call through the OpenAI Responses API (or another response-object API). */
export interface ResponseSpanData extends ModelCallFields, OpenAIModelCallFields {
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

/**
 * A reranking call (`rerank`): a model orders documents by their relevance to a query. Not an
 * inference: no messages, no details event; its usage, when reported, rolls up like any model call's.
 */
export interface RerankSpanData {
  type: 'rerank';
  /** Requested model (`gen_ai.request.model`). */
  model?: string;
  /** Provider (`gen_ai.provider.name`), e.g. `cohere`. */
  provider?: string;
  /** Model actually used (`gen_ai.response.model`). */
  responseModel?: string;
  responseId?: string;
  /** How many of the top-ranked documents were asked for (`agent_otel.rerank.top_n`). */
  topN?: number;
  /** How many documents were sent to be ranked (`agent_otel.rerank.document_count`). */
  documentCount?: number;
  usage?: TokenUsage;
  serverAddress?: string;
  serverPort?: number;
  /** The query and the documents, e.g. `{ query, documents }`; content (`agent_otel.rerank.input`). */
  input?: unknown;
  /** The ranking, e.g. `[{ index, relevanceScore }]`; content (`agent_otel.rerank.output`). */
  output?: unknown;
}

/**
 * A retrieval (`retrieval`): a query against a retriever or vector store, e.g. a RAG lookup. Not a
 * model call: no usage (an embedding of the query is its own `embeddings` span), no details event.
 */
export interface RetrievalSpanData {
  type: 'retrieval';
  /** The data source queried (`gen_ai.data_source.id`), e.g. a vector store or index name. */
  dataSourceId?: string;
  /** Provider (`gen_ai.provider.name`), when the retrieval is a call to a GenAI provider. */
  provider?: string;
  /** Model the retriever used, e.g. its embedding model (`gen_ai.request.model`), if known. */
  model?: string;
  /** How many documents were asked for (`gen_ai.retrieval.top_k`). */
  topK?: number;
  serverAddress?: string;
  serverPort?: number;
  /** The query; content (`gen_ai.retrieval.query.text`; a value that is not a string is recorded as JSON). */
  query?: unknown;
  /** The documents returned, as the retriever gave them; content (`gen_ai.retrieval.documents`, JSON). */
  documents?: unknown;
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
  /**
   * Set when the tool ran as an MCP `tools/call` (e.g. by an instrumented MCP client inside this
   * span): the MCP attributes go on this span instead of a second `tools/call` span, as the MCP
   * conventions ask.
   */
  mcp?: McpToolCallFields;
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

/** Protocol details of one MCP request, shared by the MCP kinds; each maps to an MCP semconv attribute. */
export interface McpRequestFields {
  /** `client` (default): the sender's span (CLIENT); `server`: the receiver's span (SERVER). */
  side?: 'client' | 'server';
  /** Name of the MCP server (`agent_otel.mcp.server.name`). */
  server?: string;
  sessionId?: string;
  /** Negotiated MCP protocol version (`mcp.protocol.version`), e.g. `2025-06-18`. */
  protocolVersion?: string;
  /** JSON-RPC request id (`jsonrpc.request.id`, recorded as a string). */
  requestId?: string | number;
  /** `network.transport`: `pipe` (stdio) or `tcp` (HTTP). */
  networkTransport?: string;
  /** `network.protocol.name`, e.g. `http`. */
  networkProtocolName?: string;
  /** Client side only: the server's `server.address` / `server.port`. */
  serverAddress?: string;
  serverPort?: number;
  /** Server side only: the peer's `client.address` / `client.port`. */
  clientAddress?: string;
  clientPort?: number;
  /** JSON-RPC error code of the response (`rpc.response.status_code`, recorded as a string). */
  responseStatusCode?: number;
}

/** MCP `tools/call` details; also carried by an `execute_tool` span that made the call (`FunctionSpanData.mcp`). */
export interface McpToolCallFields extends McpRequestFields {
  /** The result was flagged `isError` (→ `error.type=tool_error`). */
  isError?: boolean;
}

/** Listing the tools of an MCP server (`tools/list`). */
export interface McpToolsSpanData extends McpRequestFields {
  type: 'mcp_tools';
  /** Tool names returned. */
  result?: string[];
}

/** Calling a tool on an MCP server (`tools/call {tool}`). */
export interface McpCallSpanData extends McpToolCallFields {
  type: 'mcp_call';
  toolName: string;
  callId?: string;
  /** Tool arguments; content. */
  input?: unknown;
  /** Tool result; content. */
  output?: unknown;
}

/** Any other MCP request: `initialize`, `ping`, `resources/read`, `prompts/get`, `completion/complete`, … */
export interface McpRequestSpanData extends McpRequestFields {
  type: 'mcp_request';
  /** `mcp.method.name`, e.g. `resources/read`. */
  method: string;
  /** `gen_ai.prompt.name` of a prompt request; the span name's target. */
  promptName?: string;
  /** `mcp.resource.uri` of a resource request (read, subscribe, unsubscribe). */
  resourceUri?: string;
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
  | RerankSpanData
  | RetrievalSpanData
  | FunctionSpanData
  | HandoffSpanData
  | GuardrailSpanData
  | McpToolsSpanData
  | McpCallSpanData
  | McpRequestSpanData
  | CustomSpanData
  | SpeechSpanData
  | TranscriptionSpanData
  | TaskSpanData
  | TurnSpanData;

/** The `type` of a span kind. */
export type SpanType = SpanData['type'];
