// The event-name rule, shared by span events and log records.
import type { Attributes } from '@opentelemetry/api';
import { isRegistryNamespace, missingRequired, type FindingSink } from './check-attributes.js';
import type { RegistryIndex } from './registry-index.js';

/**
 * An event name in the registry's namespaces must be a registry event, not a deprecated one, and
 * carry the event's required attributes. Shared by span events and log records.
 */
export function checkEventName(
  index: RegistryIndex,
  site: { readonly signal: 'span event' | 'log record'; readonly item: string },
  name: unknown,
  attributes: Attributes | undefined,
  report: FindingSink,
): void {
  if (typeof name !== 'string' || !isRegistryNamespace(name)) return;
  if (index.deprecatedEvents.has(name)) {
    report({ ...site, rule: 'deprecated-event', detail: `${name} is a deprecated event` });
    return;
  }
  const event = index.events.get(name);
  if (event === undefined) {
    report({ ...site, rule: 'unknown-event', detail: `${name} is not an event of the registry` });
    return;
  }
  for (const missing of missingRequired(event.attributes, attributes)) {
    report({ ...site, rule: 'missing-required', detail: `${missing} is required on event ${name}` });
  }
}
