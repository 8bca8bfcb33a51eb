import type { AttributeValue } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';

/**
 * The SDK defaults (`telemetry.sdk.*`, `service.name=unknown_service:<argv0>`), the process
 * attributes, then `attributes` (already resolved from the environment and options) on top.
 * The environment detectors are not used: `resolveConfig` has parsed and validated those variables.
 */
export function createResource(attributes: Readonly<Record<string, AttributeValue>>): Resource {
  return defaultResource()
    .merge(detectResources({ detectors: [processDetector] }))
    .merge(resourceFromAttributes({ ...attributes }));
}
