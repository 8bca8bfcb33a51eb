import type { AttributeValue } from '@opentelemetry/api';
import { parseKeyValueList, RESOURCE_LIST } from './key-value-list.js';
import { readEnv } from './settings.js';
import type { Environment } from './settings.js';
import type { RegisterOptions } from './types.js';

const SERVICE_NAME = 'service.name';

/**
 * Resource attributes, lowest precedence first: `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`,
 * `options.resourceAttributes`, `options.serviceName`.
 */
export function resolveResourceAttributes(
  env: Environment,
  options: RegisterOptions,
  warnings: string[],
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  const raw = readEnv(env, 'OTEL_RESOURCE_ATTRIBUTES');
  if (raw !== undefined)
    Object.assign(attributes, parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', raw, RESOURCE_LIST, warnings));
  const serviceName = readEnv(env, 'OTEL_SERVICE_NAME');
  if (serviceName !== undefined) attributes[SERVICE_NAME] = serviceName;
  if (options.resourceAttributes != null) {
    for (const [key, value] of Object.entries(options.resourceAttributes)) {
      if (value != null) attributes[key] = value;
    }
  }
  if (options.serviceName != null && options.serviceName !== '')
    attributes[SERVICE_NAME] = options.serviceName;
  return attributes;
}
