/*
 * Vendored OpenTelemetry semantic-convention names used by agent-otel.
 *
 * GenAI + MCP: OpenTelemetry semantic-conventions-genai, main @ fe5608e (2026-08-03,
 * schema https://opentelemetry.io/schemas/gen-ai-dev/1.42.0-dev), which matches core
 * semantic-conventions v1.41 for every name below except where a comment says otherwise.
 * Everything GenAI/MCP is "Development" stability, so the names are copied here once, as the
 * `@opentelemetry/semantic-conventions` README tells instrumentations to do, instead of importing
 * `@opentelemetry/semantic-conventions/incubating` at run time.
 *
 * Names that semconv does not define live under our own `agent_otel.` prefix (ATTR_AGENT_OTEL_*),
 * never under `gen_ai.`.
 */

/** The semantic-conventions version these names follow; also set as the tracer's schema URL. */
export const SEMCONV_VERSION = 'gen-ai-dev/1.42.0-dev';
export const SEMCONV_SCHEMA_URL = 'https://opentelemetry.io/schemas/gen-ai-dev/1.42.0-dev';

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
/** Proposed (voice-agents draft); the operation-name enum is open, so the value is allowed. */
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH = 'text_to_speech';
/** Proposed (voice-agents draft). */
export const GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT = 'speech_to_text';

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
/** genai main (not in core v1.41). */
export const ATTR_GEN_AI_REQUEST_REASONING_LEVEL = 'gen_ai.request.reasoning.level';
/** genai main (not in core v1.41). */
export const ATTR_GEN_AI_REQUEST_PREVIOUS_RESPONSE_ID = 'gen_ai.request.previous_response.id';
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';

// --- GenAI: response --------------------------------------------------------------------------
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** genai main: seconds from request to the first streamed chunk. */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

// --- GenAI: usage -----------------------------------------------------------------------------
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/**
 * Baseline name `gen_ai.usage.cache_creation.input_tokens`, renamed to
 * `gen_ai.usage.cache_write.input_tokens` by semantic-conventions-genai PR #440 (merged); we emit the new name.
 */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';

// --- GenAI: agents, tools, workflows, conversations -------------------------------------------
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const ATTR_GEN_AI_AGENT_VERSION = 'gen_ai.agent.version';
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
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

// --- GenAI: content (opt-in) ------------------------------------------------------------------
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** Opt-in event carrying the inference attributes, content included, apart from the span's own attributes. */
export const EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS = 'gen_ai.client.inference.operation.details';

// --- GenAI: proposals we follow (open PRs; names may change) ----------------------------------
/** PR #447 (agent transfer): target agent of a handoff. */
export const ATTR_GEN_AI_TRANSFER_TARGET_NAME = 'gen_ai.transfer.target.name';
/** PR #447: `pass_control` for an SDK handoff. */
export const ATTR_GEN_AI_TRANSFER_MODE = 'gen_ai.transfer.mode';
/** PR #427 (guardrails): event recorded with a guardrail's result. */
export const EVENT_GEN_AI_GUARDRAIL_RESULT = 'gen_ai.guardrail.result';
export const ATTR_GEN_AI_GUARDRAIL_COMPONENT_NAME = 'gen_ai.guardrail.component.name';
export const ATTR_GEN_AI_GUARDRAIL_SOURCE = 'gen_ai.guardrail.source';
export const ATTR_GEN_AI_GUARDRAIL_RESULT_TYPE = 'gen_ai.guardrail.result.type';
export const ATTR_GEN_AI_GUARDRAIL_RESULT_VALUE = 'gen_ai.guardrail.result.value';

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
export const ATTR_AGENT_OTEL_AGENT_HANDOFFS = 'agent_otel.agent.handoffs';
export const ATTR_AGENT_OTEL_AGENT_TOOLS = 'agent_otel.agent.tools';
export const ATTR_AGENT_OTEL_AGENT_OUTPUT_TYPE = 'agent_otel.agent.output_type';
export const ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT = 'agent_otel.handoff.from_agent';
export const ATTR_AGENT_OTEL_HANDOFF_TO_AGENT = 'agent_otel.handoff.to_agent';
export const ATTR_AGENT_OTEL_GUARDRAIL_NAME = 'agent_otel.guardrail.name';
export const ATTR_AGENT_OTEL_GUARDRAIL_TRIGGERED = 'agent_otel.guardrail.triggered';
export const ATTR_AGENT_OTEL_CUSTOM_NAME = 'agent_otel.custom.name';
export const ATTR_AGENT_OTEL_CUSTOM_DATA = 'agent_otel.custom.data';
export const ATTR_AGENT_OTEL_MCP_SERVER_NAME = 'agent_otel.mcp.server.name';
export const ATTR_AGENT_OTEL_MCP_TOOLS = 'agent_otel.mcp.tools';
export const ATTR_AGENT_OTEL_TASK_NAME = 'agent_otel.task.name';
export const ATTR_AGENT_OTEL_TURN_NUMBER = 'agent_otel.turn.number';
export const ATTR_AGENT_OTEL_SPEECH_INPUT_FORMAT = 'agent_otel.speech.input.format';
export const ATTR_AGENT_OTEL_SPEECH_OUTPUT_FORMAT = 'agent_otel.speech.output.format';
/** Error payload of a `SpanError` (`{message, data}`), serialised under the content policy. */
export const ATTR_AGENT_OTEL_ERROR_DATA = 'agent_otel.error.data';
/** Usage totals rolled up onto agent/workflow spans (semconv defines usage on agent spans only). */
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
