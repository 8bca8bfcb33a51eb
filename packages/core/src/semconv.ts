/*
 * Vendored OpenTelemetry semantic-convention names used by agent-otel.
 *
 * GenAI + MCP: OpenTelemetry semantic-conventions-genai **v0.1.0** (its first standalone release, on
 * core semantic-conventions v1.45.0). The names are copied here once, as the
 * `@opentelemetry/semantic-conventions` README tells instrumentations to do for Development-stability
 * names, instead of importing `@opentelemetry/semantic-conventions/incubating` at run time. The
 * machine-readable registry the conformance check uses is `packages/testing/semconv/v0.1.0.json`
 * (how it was made, and what could not be read from the tag, is in its `x_status`).
 *
 * Names that semconv does not define live under our own `agent_otel.` prefix (ATTR_AGENT_OTEL_*),
 * never under `gen_ai.`; names taken from an open proposal are in {@link PROPOSED}, so adopting the
 * proposal once it merges is one table change.
 */

/** The semantic-conventions release these names follow: the one place the version lives. */
export const SEMCONV_VERSION = 'v0.1.0';
/**
 * Schema URL of {@link SEMCONV_VERSION}, set on every tracer, meter and logger: the genai
 * repository's release pattern `https://opentelemetry.io/schemas/gen-ai/<version>`.
 */
export const SEMCONV_SCHEMA_URL = `https://opentelemetry.io/schemas/gen-ai/${SEMCONV_VERSION.slice(1)}`;

// --- Stable core attributes -------------------------------------------------------------------
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_CLIENT_PORT = 'client.port';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_NETWORK_PROTOCOL_NAME = 'network.protocol.name';
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const ATTR_JSONRPC_PROTOCOL_VERSION = 'jsonrpc.protocol.version';
export const ATTR_RPC_RESPONSE_STATUS_CODE = 'rpc.response.status_code';
/** Fallback `error.type` when nothing better is known. */
export const ERROR_TYPE_VALUE_OTHER = '_OTHER';

// --- GenAI: operation and provider ------------------------------------------------------------
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';

export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat';
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION = 'text_completion';
export const GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT = 'generate_content';
export const GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS = 'embeddings';
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW = 'invoke_workflow';
/** A retriever or vector-store query (the `gen_ai.retrieval.client` span). */
export const GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL = 'retrieval';
/**
 * Not in the v0.1.0 list (the voice-agents draft's value); the operation-name enum is open, so a
 * value of our own is allowed there.
 */
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH = 'text_to_speech';
/** Not in the v0.1.0 list (the voice-agents draft's value), like {@link GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH}. */
export const GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT = 'speech_to_text';
/**
 * Not in the v0.1.0 list: a value of our own for a reranking call (a model orders documents by
 * relevance to a query), allowed because the operation-name enum is open.
 */
export const GEN_AI_OPERATION_NAME_VALUE_RERANK = 'rerank';

export const GEN_AI_PROVIDER_NAME_VALUE_OPENAI = 'openai';
export const GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC = 'anthropic';
/** Azure OpenAI: the OpenAI APIs served by an Azure resource. */
export const GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI = 'azure.ai.openai';

// --- GenAI: request ---------------------------------------------------------------------------
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count';
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k';
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty';
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty';
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
export const ATTR_GEN_AI_REQUEST_ENCODING_FORMATS = 'gen_ai.request.encoding_formats';
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const ATTR_GEN_AI_REQUEST_REASONING_LEVEL = 'gen_ai.request.reasoning.level';
export const ATTR_GEN_AI_REQUEST_PREVIOUS_RESPONSE_ID = 'gen_ai.request.previous_response.id';
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';

// --- GenAI: response --------------------------------------------------------------------------
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Seconds from request to the first streamed chunk. */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

// --- GenAI: usage -----------------------------------------------------------------------------
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** Formerly `gen_ai.usage.cache_creation.input_tokens` (renamed by PR #440). */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
// Per-modality breakdowns (each a subset of the total above it), recorded when reported and non-zero.
export const ATTR_GEN_AI_USAGE_TEXT_INPUT_TOKENS = 'gen_ai.usage.text.input_tokens';
export const ATTR_GEN_AI_USAGE_IMAGE_INPUT_TOKENS = 'gen_ai.usage.image.input_tokens';
export const ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS = 'gen_ai.usage.audio.input_tokens';
export const ATTR_GEN_AI_USAGE_TEXT_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.text.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_IMAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.image.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_AUDIO_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.audio.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_TEXT_OUTPUT_TOKENS = 'gen_ai.usage.text.output_tokens';
export const ATTR_GEN_AI_USAGE_IMAGE_OUTPUT_TOKENS = 'gen_ai.usage.image.output_tokens';
export const ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS = 'gen_ai.usage.audio.output_tokens';
/** Metric attribute of the usage counters: `text`, `image`, `audio`, or `unknown` when not broken down. */
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';
export const GEN_AI_TOKEN_MODALITY_VALUE_TEXT = 'text';
export const GEN_AI_TOKEN_MODALITY_VALUE_IMAGE = 'image';
export const GEN_AI_TOKEN_MODALITY_VALUE_AUDIO = 'audio';
export const GEN_AI_TOKEN_MODALITY_VALUE_UNKNOWN = 'unknown';

// --- GenAI: agents, tools, workflows, conversations -------------------------------------------
/**
 * A hosted agent's stable id: on `create_agent` and CLIENT `invoke_agent` spans only (v0.1.0 took it
 * off in-process agent spans, which carry `agent_otel.agent.id` instead).
 */
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
/** Like {@link ATTR_GEN_AI_AGENT_ID}: not on in-process agent spans since v0.1.0. */
export const ATTR_GEN_AI_AGENT_VERSION = 'gen_ai.agent.version';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const ATTR_GEN_AI_TOOL_DEFINITIONS = 'gen_ai.tool.definitions';
export const ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT = 'gen_ai.embeddings.dimension.count';
export const ATTR_GEN_AI_PROMPT_NAME = 'gen_ai.prompt.name';
/** The data source a retrieval queried, e.g. a vector store or index (`gen_ai.retrieval.client`). */
export const ATTR_GEN_AI_DATA_SOURCE_ID = 'gen_ai.data_source.id';
/** How many documents a retrieval asked for (int). */
export const ATTR_GEN_AI_RETRIEVAL_TOP_K = 'gen_ai.retrieval.top_k';

// --- GenAI: content (opt-in) ------------------------------------------------------------------
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** A retrieval's query text. */
export const ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT = 'gen_ai.retrieval.query.text';
/** The documents a retrieval returned (registry type `any`: recorded as JSON). */
export const ATTR_GEN_AI_RETRIEVAL_DOCUMENTS = 'gen_ai.retrieval.documents';

// --- GenAI: events (log records through the OpenTelemetry Logs API) --------------------------
/** Opt-in (content modes with events): the inference attributes with structured content, DEBUG. */
export const EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS = 'gen_ai.client.inference.operation.details';
/** A model call that failed, WARN, with `exception.*`. */
export const EVENT_GEN_AI_CLIENT_INFERENCE_EXCEPTION = 'gen_ai.client.inference.exception';
/** A tool execution that failed, WARN, with `exception.*`. */
export const EVENT_GEN_AI_EXECUTE_TOOL_EXCEPTION = 'gen_ai.execute_tool.exception';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

// --- GenAI: metrics ---------------------------------------------------------------------------
export const METRIC_GEN_AI_CLIENT_INFERENCE_DURATION = 'gen_ai.client.inference.duration';
export const METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK =
  'gen_ai.client.inference.time_to_first_chunk';
export const METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK =
  'gen_ai.client.inference.time_per_output_chunk';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS =
  'gen_ai.client.inference.usage.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS =
  'gen_ai.client.inference.usage.cache_read.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS =
  'gen_ai.client.inference.usage.cache_write.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS =
  'gen_ai.client.inference.usage.reasoning.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS =
  'gen_ai.client.inference.operation.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS =
  'gen_ai.client.inference.operation.output_tokens';
/** Non-inference client operations (embeddings, retrieval, rerank, speech); never inference since v0.1.0. */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
/** Agent runs and (operation `invoke_workflow`) workflow runs. */
export const METRIC_GEN_AI_INVOKE_AGENT_DURATION = 'gen_ai.invoke_agent.duration';
export const METRIC_GEN_AI_EXECUTE_TOOL_DURATION = 'gen_ai.execute_tool.duration';
export const METRIC_MCP_CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';
export const METRIC_MCP_SERVER_OPERATION_DURATION = 'mcp.server.operation.duration';
export const METRIC_MCP_CLIENT_SESSION_DURATION = 'mcp.client.session.duration';
export const METRIC_MCP_SERVER_SESSION_DURATION = 'mcp.server.session.duration';
/** Pre-v0.1.0 token histogram (with `gen_ai.token.type`), behind the legacy-metrics opt-in only. */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE_LEGACY = 'gen_ai.client.token.usage';
export const ATTR_GEN_AI_TOKEN_TYPE_LEGACY = 'gen_ai.token.type';

// --- Proposals: what v0.1.0 does not define yet -----------------------------------------------
/**
 * Names for what semantic-conventions-genai v0.1.0 does not define, each with the open proposal
 * that would define it. Ours (`agent_otel.`) until that proposal merges; adopting it is then a change
 * of the value here and nothing else.
 */
export const PROPOSED = {
  /** Agent a handoff passes control to. Proposal: PR #447 (`gen_ai.transfer.target.name`). */
  handoffTargetName: 'agent_otel.handoff.to_agent',
  /** How control passes (`pass_control` for an SDK handoff). Proposal: PR #447 (`gen_ai.transfer.mode`). */
  handoffMode: 'agent_otel.handoff.mode',
  /**
   * Span event recording a guardrail's result. Proposal: PR #427 (a `gen_ai.run_guardrail` span and
   * a `gen_ai.security.finding` event, a different model).
   */
  guardrailResultEvent: 'agent_otel.guardrail.result',
  guardrailName: 'agent_otel.guardrail.name',
  guardrailSource: 'agent_otel.guardrail.source',
  guardrailResultType: 'agent_otel.guardrail.result.type',
  guardrailResultValue: 'agent_otel.guardrail.result.value',
  /** Language of the audio a transcription read. No proposal yet. */
  speechInputLanguage: 'agent_otel.speech.input.language',
} as const;

// --- OpenAI provider refinement -------------------------------------------------------------
export const ATTR_OPENAI_API_TYPE = 'openai.api.type';
export const OPENAI_API_TYPE_VALUE_CHAT_COMPLETIONS = 'chat_completions';
export const OPENAI_API_TYPE_VALUE_RESPONSES = 'responses';
/** Service tier requested (`service_tier` request parameter), e.g. `auto`, `default`, `flex`. */
export const ATTR_OPENAI_REQUEST_SERVICE_TIER = 'openai.request.service_tier';
/** Service tier that served the request, as the response reports it. */
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier';
/** Backend configuration fingerprint the response reports (`system_fingerprint`). */
export const ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT = 'openai.response.system_fingerprint';

// --- MCP ----------------------------------------------------------------------------------------
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri';
export const MCP_METHOD_NAME_VALUE_TOOLS_LIST = 'tools/list';
export const MCP_METHOD_NAME_VALUE_TOOLS_CALL = 'tools/call';
export const MCP_METHOD_NAME_VALUE_INITIALIZE = 'initialize';
export const MCP_METHOD_NAME_VALUE_PING = 'ping';
export const MCP_METHOD_NAME_VALUE_PROMPTS_GET = 'prompts/get';
export const MCP_METHOD_NAME_VALUE_RESOURCES_READ = 'resources/read';
export const MCP_METHOD_NAME_VALUE_RESOURCES_SUBSCRIBE = 'resources/subscribe';
export const MCP_METHOD_NAME_VALUE_RESOURCES_UNSUBSCRIBE = 'resources/unsubscribe';
export const MCP_METHOD_NAME_VALUE_COMPLETION_COMPLETE = 'completion/complete';
/** `network.transport` of the stdio transport. */
export const NETWORK_TRANSPORT_VALUE_PIPE = 'pipe';
/** `network.transport` of the HTTP transports (Streamable HTTP, HTTP+SSE) and WebSocket. */
export const NETWORK_TRANSPORT_VALUE_TCP = 'tcp';
export const NETWORK_PROTOCOL_NAME_VALUE_HTTP = 'http';
export const NETWORK_PROTOCOL_NAME_VALUE_WEBSOCKET = 'websocket';
/** `error.type` for an MCP tool result flagged `isError`. */
export const ERROR_TYPE_VALUE_TOOL_ERROR = 'tool_error';

// --- agent_otel.* (semconv is silent) ---------------------------------------------------------
/** Which agent-otel span kind produced the span (`workflow`, `agent`, `generation`, ...). */
export const ATTR_AGENT_OTEL_SPAN_KIND = 'agent_otel.span.kind';
/** Workflow/trace metadata entries, one attribute per key: `agent_otel.metadata.<key>`. */
export const ATTR_AGENT_OTEL_METADATA_PREFIX = 'agent_otel.metadata.';
/** An in-process agent's id and version (v0.1.0 keeps `gen_ai.agent.id`/`version` for hosted agents). */
export const ATTR_AGENT_OTEL_AGENT_ID = 'agent_otel.agent.id';
export const ATTR_AGENT_OTEL_AGENT_VERSION = 'agent_otel.agent.version';
export const ATTR_AGENT_OTEL_AGENT_HANDOFFS = 'agent_otel.agent.handoffs';
export const ATTR_AGENT_OTEL_AGENT_TOOLS = 'agent_otel.agent.tools';
export const ATTR_AGENT_OTEL_AGENT_OUTPUT_TYPE = 'agent_otel.agent.output_type';
export const ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT = 'agent_otel.handoff.from_agent';
export const ATTR_AGENT_OTEL_HANDOFF_TO_AGENT = PROPOSED.handoffTargetName;
export const ATTR_AGENT_OTEL_GUARDRAIL_NAME = PROPOSED.guardrailName;
export const ATTR_AGENT_OTEL_GUARDRAIL_TRIGGERED = 'agent_otel.guardrail.triggered';
export const ATTR_AGENT_OTEL_CUSTOM_NAME = 'agent_otel.custom.name';
export const ATTR_AGENT_OTEL_CUSTOM_DATA = 'agent_otel.custom.data';
export const ATTR_AGENT_OTEL_MCP_SERVER_NAME = 'agent_otel.mcp.server.name';
export const ATTR_AGENT_OTEL_MCP_TOOLS = 'agent_otel.mcp.tools';
export const ATTR_AGENT_OTEL_TASK_NAME = 'agent_otel.task.name';
export const ATTR_AGENT_OTEL_TURN_NUMBER = 'agent_otel.turn.number';
export const ATTR_AGENT_OTEL_SPEECH_INPUT_FORMAT = 'agent_otel.speech.input.format';
export const ATTR_AGENT_OTEL_SPEECH_OUTPUT_FORMAT = 'agent_otel.speech.output.format';
/** How many of the top-ranked documents a rerank call asked for. */
export const ATTR_AGENT_OTEL_RERANK_TOP_N = 'agent_otel.rerank.top_n';
/** How many documents a rerank call sent to be ranked. */
export const ATTR_AGENT_OTEL_RERANK_DOCUMENT_COUNT = 'agent_otel.rerank.document_count';
/** A rerank call's query and documents (content; documents are not messages). */
export const ATTR_AGENT_OTEL_RERANK_INPUT = 'agent_otel.rerank.input';
/** A rerank call's ranking (content). */
export const ATTR_AGENT_OTEL_RERANK_OUTPUT = 'agent_otel.rerank.output';
/** Error payload of a `SpanError` (`{message, data}`), serialised under the content policy. */
export const ATTR_AGENT_OTEL_ERROR_DATA = 'agent_otel.error.data';
/**
 * Usage totals of task/turn spans, and the cache and reasoning totals of agent/workflow spans (whose
 * input/output totals are `gen_ai.usage.*`): v0.1.0 leaves cache breakdowns off agent spans (#469).
 */
export const ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS = 'agent_otel.usage.input_tokens';
export const ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS = 'agent_otel.usage.output_tokens';
export const ATTR_AGENT_OTEL_USAGE_CACHE_READ_INPUT_TOKENS = 'agent_otel.usage.cache_read.input_tokens';
export const ATTR_AGENT_OTEL_USAGE_CACHE_WRITE_INPUT_TOKENS = 'agent_otel.usage.cache_write.input_tokens';
export const ATTR_AGENT_OTEL_USAGE_REASONING_OUTPUT_TOKENS = 'agent_otel.usage.reasoning.output_tokens';
/** Number of model calls rolled up under an agent/workflow span. */
export const ATTR_AGENT_OTEL_USAGE_MODEL_CALLS = 'agent_otel.usage.model_calls';
/** Estimated cost in US dollars from the price table (see `pricing.ts`); absent when a model is unpriced. */
export const ATTR_AGENT_OTEL_COST_USD = 'agent_otel.cost.usd';
/** Set to true on a span that ended because its stream was stopped early (break, abort, error, never iterated). */
export const ATTR_AGENT_OTEL_STREAM_ENDED_EARLY = 'agent_otel.stream.ended_early';
/** Why an early-stopped stream ended: `return`, `abort`, `error`, `unconsumed`. */
export const ATTR_AGENT_OTEL_STREAM_END_REASON = 'agent_otel.stream.end_reason';
/** Set when content was cut to the configured size limit. */
export const ATTR_AGENT_OTEL_CONTENT_TRUNCATED = 'agent_otel.content.truncated';
/** Set when a non-content value (name, id, metadata, error text, array) was cut or left out to stay bounded. */
export const ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED = 'agent_otel.attributes.truncated';
/** Ids from the framework that produced the span (e.g. OpenAI Agents SDK `trace_…` / `span_…`). */
export const ATTR_AGENT_OTEL_SOURCE_TRACE_ID = 'agent_otel.source.trace_id';
export const ATTR_AGENT_OTEL_SOURCE_SPAN_ID = 'agent_otel.source.span_id';
