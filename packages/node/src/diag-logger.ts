import { diag, DiagConsoleLogger } from '@opentelemetry/api';
import type { DiagLogLevel } from '@opentelemetry/api';
import { isOtelGlobalSet } from './otel-globals.js';

/**
 * Installs a `DiagConsoleLogger` at `level` unless the application already set a diag logger, so
 * configuration problems are visible by default. Returns true when it installed one.
 */
export function installDiagLoggerIfUnset(level: DiagLogLevel): boolean {
  if (isOtelGlobalSet('diag')) return false;
  return diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
}
