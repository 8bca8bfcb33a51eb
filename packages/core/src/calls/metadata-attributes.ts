import type { AttributeValue } from '@opentelemetry/api';
import { getContentPolicy } from '../content/policy.js';
import { ATTR_AGENT_OTEL_METADATA_PREFIX } from '../semconv.js';

/** At most this many `agent_otel.metadata.*` attributes {@link setMetadataAttributes} writes on a span. */
export const MAX_METADATA_ATTRIBUTES = 32;

/**
 * Writes a framework's run metadata on a span as `agent_otel.metadata.<key>`: strings, numbers and
 * booleans as they are, anything else serialised (redacted and size-capped) by the content policy;
 * `null`/`undefined` values are skipped, and so is a key whose value is the same (`Object.is`) in
 * `inherited` (what the parent run's span already carries). At most {@link MAX_METADATA_ATTRIBUTES}.
 */
export function setMetadataAttributes(
  span: { setAttribute(key: string, value: AttributeValue): unknown },
  metadata: Readonly<Record<string, unknown>>,
  inherited?: Readonly<Record<string, unknown>>,
): void {
  let entries = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (value == null || (inherited !== undefined && Object.is(inherited[key], value))) continue;
    if (entries++ >= MAX_METADATA_ATTRIBUTES) break;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      span.setAttribute(ATTR_AGENT_OTEL_METADATA_PREFIX + key, value);
    } else {
      span.setAttribute(
        ATTR_AGENT_OTEL_METADATA_PREFIX + key,
        getContentPolicy().serialize(value, 'other').value,
      );
    }
  }
}
