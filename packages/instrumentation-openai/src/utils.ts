import { getContentPolicy, serverAddressFromURL, type ServerAddress } from '@agent-otel/core';
import type { ClientLike, Json } from './internal-types.js';

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a finite number. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value when it is a non-empty string. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `stop` as sent: a string or a list of strings. */
export function stopSequencesOf(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (!Array.isArray(stop)) return undefined;
  const strings = stop.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings : undefined;
}

/** `server.address` / `server.port` of the client's base URL. */
export function serverOf(client: ClientLike | undefined): ServerAddress {
  return serverAddressFromURL(client?.baseURL);
}

/**
 * True when content is captured: request and response content is then kept for the mapping (which
 * applies the policy); otherwise it is never even referenced.
 */
export function capturesContent(): boolean {
  return getContentPolicy().mode !== 'NO_CONTENT';
}
