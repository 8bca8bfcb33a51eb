// Runs test/fixtures/export-spans.mjs: real SDK spans sent by a real OTLP/HTTP exporter from a
// child Node process, and the spans as the viewer's model should hold them.
import { join } from 'node:path';
import { runNode } from '@agent-otel/testing';
import type { Span } from '../../src/model.js';

export interface ChildExport {
  /** The exporter's results, one per export call (`code` 0 is success). */
  readonly results: { code: number; error?: string }[];
  /** Every span the SDK recorded, converted to the viewer's model. */
  readonly spans: Span[];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'export-spans.mjs');

/** Exports a scenario (`trace`, `limits`, `many:<n>`) with `protocol` to `endpoint`. */
export async function exportFromChild(
  protocol: 'protobuf' | 'json',
  compression: 'none' | 'gzip',
  endpoint: string,
  scenario: string,
  token?: string,
): Promise<ChildExport> {
  const args = [FIXTURE, protocol, compression, endpoint, scenario, ...(token === undefined ? [] : [token])];
  const result = await runNode(args, { cwd: join(__dirname, '..', '..'), env: {}, timeoutMillis: 60_000 });
  if (result.code !== 0)
    throw new Error(`export-spans.mjs failed (${result.code}): ${result.stderr.slice(0, 2000)}`);
  const line = result.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as ChildExport;
}
