import { diag } from '@opentelemetry/api';
import { describeError } from './with-timeout.js';

/**
 * `[create()]`, or `[]` after a warning naming `label` when it throws: one exporter, reader or
 * processor that cannot be made (a bad file path, a broken optional package) leaves the others.
 */
export function tryCreate<T>(label: string, create: () => T): T[] {
  try {
    return [create()];
  } catch (error) {
    diag.warn(
      `@agent-otel/node: could not create the ${label}; continuing without it: ${describeError(error)}`,
    );
    return [];
  }
}
