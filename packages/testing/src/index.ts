// Public surface of @agent-otel/testing. Every export is listed by name.

// Server
export { startScriptedServer } from './server.js';
export type { ScriptedServer, ScriptedServerOptions } from './server.js';

// Script types
export type {
  MultipartFile,
  MultipartForm,
  Provider,
  RecordedRequest,
  RouteId,
  ScriptEntry,
  ScriptHandler,
  ScriptOptions,
  ScriptedError,
  ScriptedFinishReason,
  ScriptedResponse,
  ScriptedToolCall,
  ScriptedUsage,
} from './script.js';

// Helpers
export { scriptedResponses } from './builders.js';
export { createAnthropicClientOptions, createOpenAIClientOptions } from './client-options.js';
export type { ScriptedClientOptions } from './client-options.js';
export { toolResults } from './inspect.js';
export type { ToolResult } from './inspect.js';
export { deterministicEmbedding } from './openai-embeddings.js';

// Garbage collection (tests of what is released)
export { collectedAfterGc, garbageCollector } from './gc.js';

// Waiting for a condition
export { eventually, tick, waitFor } from './wait.js';
export type { EventuallyOptions } from './wait.js';

// Child Node processes, and an OTLP/HTTP receiver for what they export
export { assertBuilt } from './assert-built.js';
export type { AssertBuiltOptions } from './assert-built.js';
export { useChildApps } from './child-apps.js';
export type { ChildApps, ChildAppsOptions, TestHooks } from './child-apps.js';
export { runNode, startNode } from './run-node.js';
export type { NodeRunResult, RunNodeOptions, RunningNode } from './run-node.js';
export { closedPort, otlpJsonSpans, startOtlpReceiver } from './otlp-receiver.js';
export type { OtlpJsonSpan, OtlpReceiver, ReceivedRequest } from './otlp-receiver.js';

// The in-memory OTel SDK pipeline and span-tree helpers are in "@agent-otel/testing/tracing".
