// The log-record rules: a GenAI event name must be a registry event with its required attributes,
// and the attribute rules apply to every record.
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { checkAttributes, type FindingSink } from './check-attributes.js';
import { checkEventName } from './check-event-name.js';
import { addFinding, emptyReport, itemName, type ConformanceReport } from './conformance-report.js';
import { indexOf, type CheckOptions, type RegistryIndex } from './registry-index.js';

/**
 * Checks emitted log records against the registry: the attribute rules on each record, and a record
 * whose `eventName` is under `gen_ai.` / `mcp.` must be a registry event, not a deprecated one, with
 * the event's required attributes.
 */
export function checkLogRecords(
  records: readonly ReadableLogRecord[],
  options: CheckOptions = {},
): ConformanceReport {
  const report = emptyReport();
  const index = indexOf(options);
  const sink: FindingSink = (finding) => addFinding(report, finding);
  for (const record of records) checkLogRecord(index, record, sink);
  return report;
}

/** Checks one log record (what a log-record processor calls on each emit). */
export function checkLogRecord(
  index: RegistryIndex,
  record: Pick<ReadableLogRecord, 'eventName' | 'attributes'>,
  report: FindingSink,
): void {
  const site = {
    signal: 'log record',
    item: record.eventName === undefined ? '(no event name)' : itemName(record.eventName),
  } as const;
  checkAttributes(index, site, record.attributes, report);
  if (record.eventName !== undefined)
    checkEventName(index, site, record.eventName, record.attributes, report);
}
