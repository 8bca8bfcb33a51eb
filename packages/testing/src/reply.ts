// What a route renderer produces; the server turns it into HTTP (delays, cuts and errors included).
import type { IdGenerator } from './IdGenerator.js';
import type { RecordedRequest, ScriptedError, ScriptedResponse } from './script.js';

/** One server-sent event. `data` is already serialized. */
export interface SseFrame {
  /** `event:` field; omitted for data-only streams (Chat Completions). */
  event?: string;
  data: string;
}

/** A JSON response. */
export interface JsonReply {
  kind: 'json';
  status: number;
  body: unknown;
}

/** A binary or plain-text response. */
export interface BytesReply {
  kind: 'bytes';
  status: number;
  contentType: string;
  body: Buffer;
}

/** A server-sent-events response. */
export interface SseReply {
  kind: 'sse';
  frames: SseFrame[];
  /** The provider's in-stream error event, sent in place of frame `index` by `streamErrorAfterChunks`. */
  errorFrame: (error: ScriptedError, index: number) => SseFrame;
}

/** A rendered response. */
export type Reply = JsonReply | BytesReply | SseReply;

/** Everything a route renderer needs. */
export interface RenderContext {
  request: RecordedRequest;
  /** The request body as an object (`{}` when it was empty or not JSON). */
  body: Record<string, any>;
  script: ScriptedResponse;
  ids: IdGenerator;
}

/** Renders one route. */
export type Renderer = (context: RenderContext) => Reply;
