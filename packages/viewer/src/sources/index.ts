// The remote trace sources: a Jaeger or Tempo cluster's query API read as a TraceSource.
import type { TraceSource } from '../model.js';
import { JaegerSource } from './jaeger.js';
import type { RemoteSourceOptions } from './remote.js';
import { TempoSource } from './tempo.js';

export { JaegerSource, jaegerSearchPlan } from './jaeger.js';
export type { JaegerSearchPlan, JaegerSourceOptions, JaegerTag } from './jaeger.js';
export { TempoSource, tempoTraceQL, traceqlAttribute, traceqlString } from './tempo.js';
export type { TempoSourceOptions } from './tempo.js';
export { REMOTE_DEFAULTS, RemoteSourceError } from './remote.js';
export type { RemoteFailure, RemoteKind, RemoteSourceOptions } from './remote.js';

/** The accepted forms of a remote `--source` value. */
export const REMOTE_SOURCE_FORMS =
  '`jaeger=URL` (Jaeger query API, e.g. http://localhost:16686) or `tempo=URL` (e.g. http://localhost:3200)';

/**
 * The remote source a `--source` value names (`jaeger=URL`, `tempo=URL`), or undefined for `local`.
 * @throws TypeError naming the accepted forms for anything else.
 */
export function remoteSourceFromOption(
  value: string,
  options: Omit<RemoteSourceOptions, 'url'> = {},
): TraceSource | undefined {
  const text = value.trim();
  if (text === 'local') return undefined;
  const match = /^(jaeger|tempo)=(.+)$/.exec(text);
  if (match === null)
    throw new TypeError(`expected local, ${REMOTE_SOURCE_FORMS}; got ${JSON.stringify(value)}`);
  const url = match[2]!.trim();
  return match[1] === 'jaeger' ? new JaegerSource({ ...options, url }) : new TempoSource({ ...options, url });
}
