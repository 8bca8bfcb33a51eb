import type { AttributeValue } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';

/**
 * Process attributes the detector records that carry the command line: an API key or token passed
 * as a flag (`--api-key=sk-…`) would otherwise be sent with every span. `process.command` (the
 * script) and `process.executable.*` are kept.
 */
export const DROPPED_PROCESS_ATTRIBUTES: readonly string[] = ['process.command_args', 'process.command_line'];

/**
 * The SDK defaults (`telemetry.sdk.*`, `service.name=unknown_service:<argv0>`), the process
 * attributes without the command line, then `attributes` (already resolved from the environment and
 * options) on top. The environment detectors are not used: `resolveConfig` has parsed and validated
 * those variables.
 */
export function createResource(attributes: Readonly<Record<string, AttributeValue>>): Resource {
  const detected: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(detectResources({ detectors: [processDetector] }).attributes)) {
    if (value !== undefined && !DROPPED_PROCESS_ATTRIBUTES.includes(key)) detected[key] = value;
  }
  return defaultResource()
    .merge(resourceFromAttributes(detected))
    .merge(resourceFromAttributes({ ...attributes }));
}
