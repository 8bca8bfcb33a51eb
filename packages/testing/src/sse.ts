// Server-sent-events framing and the paced writer behind every streaming route.
import type { ServerResponse } from 'node:http';
import type { ScriptedError } from './script.js';
import type { SseReply, SseFrame } from './reply.js';
import { sleep } from './sleep.js';

/** A frame carrying `payload` as JSON, with an optional `event:` name. */
export function jsonFrame(payload: unknown, event?: string): SseFrame {
  return event === undefined ? { data: JSON.stringify(payload) } : { event, data: JSON.stringify(payload) };
}

/** The wire text of one frame: `event: X\ndata: {...}\n\n` (or just the `data:` line). */
export function formatFrame(frame: SseFrame): string {
  const data = frame.data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${frame.event === undefined ? '' : `event: ${frame.event}\n`}${data}\n`;
}

/** Pacing and failure knobs of one stream. */
export interface StreamControls {
  chunkDelayMs: number;
  cutAfterChunks: number | undefined;
  streamErrorAfterChunks: number | undefined;
  streamError: ScriptedError;
  signal: AbortSignal;
}

/**
 * Writes `reply` frame by frame: waits `chunkDelayMs` before every frame after the first, destroys the
 * socket at frame `cutAfterChunks`, or sends the error event at frame `streamErrorAfterChunks` and ends
 * the stream (a position past the last frame means: after the last frame). Stops quietly when the client
 * goes away or the server closes (`signal`).
 */
export async function writeSse(
  res: ServerResponse,
  headers: Record<string, string>,
  reply: SseReply,
  controls: StreamControls,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...headers,
  });
  res.flushHeaders();
  const { frames } = reply;
  const position = (value: number | undefined) =>
    value === undefined || value < 0 ? undefined : Math.min(Math.floor(value), frames.length);
  const cutAt = position(controls.cutAfterChunks);
  const errorAt = position(controls.streamErrorAfterChunks);
  let written = Promise.resolve();
  for (let index = 0; index <= frames.length; index++) {
    if (index === frames.length && index !== cutAt && index !== errorAt) break;
    if (index > 0 && !(await sleep(controls.chunkDelayMs, controls.signal))) return;
    if (controls.signal.aborted || res.destroyed) return;
    if (index === cutAt) {
      // Let the frames already written reach the client before the connection drops.
      await written;
      res.socket?.destroy();
      return;
    }
    if (index === errorAt) {
      res.end(formatFrame(reply.errorFrame(controls.streamError, index)));
      return;
    }
    const frame = formatFrame(frames[index]!);
    written = new Promise<void>((resolve) => res.write(frame, () => resolve()));
  }
  res.end();
}
