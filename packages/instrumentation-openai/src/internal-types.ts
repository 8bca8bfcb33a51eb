// Structural types of the parts of the `openai` SDK this package touches. They are written here, not
// imported, so that one build works with every supported SDK version (never exported).
import type { ClientCallHooks } from '@agent-otel/core/instrumentation';
import type { SpanData } from '@agent-otel/core';

/** The SDK client (`OpenAI`, `AzureOpenAI`) as a resource sees it. */
export interface ClientLike {
  baseURL?: unknown;
  /** Set by `AzureOpenAI` only. */
  apiVersion?: unknown;
}

/** A resource instance (`client.chat.completions`, `client.responses`, ...). */
export interface ResourceLike {
  _client?: ClientLike;
}

/** A resource method as it is patched: any arguments, returning the SDK's `APIPromise`. */
export type CreateMethod = (this: ResourceLike, ...args: unknown[]) => unknown;

/** A request body or response object, read defensively: every field may be missing. */
export type Json = Record<string, unknown>;

/** The span data and hooks of one traced call, built from its request before it is sent. */
export interface TracedCall<T extends SpanData = SpanData> {
  data: T;
  hooks: ClientCallHooks<T>;
}

/** One patched SDK method. */
export interface Endpoint {
  /** The method as users call it, e.g. `chat.completions.create`. */
  readonly method: string;
  /** The prototype holding `create`, found from the `OpenAI` client class. */
  prototypeOf(client: Json): Json | undefined;
  /** Builds the span data and hooks from the request body and the client. */
  start(body: unknown, client: ClientLike | undefined): TracedCall<any>;
}
