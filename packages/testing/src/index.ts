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

// Child processes (example tests)
export { runNode } from './run-node.js';
export type { NodeRunResult, RunNodeOptions } from './run-node.js';
