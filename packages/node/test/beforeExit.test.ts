import { join } from 'node:path';
import { jsonSpans, startOtlpReceiver } from './otlpReceiver.js';
import type { OtlpReceiver } from './otlpReceiver.js';
import { assertBuilt, FIXTURES, runNode } from './runNode.js';

jest.setTimeout(30000);

let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: number | string };
}

/** Reads one attribute of a span from an OTLP/JSON body. */
function attribute(span: unknown, key: string): unknown {
  const found = ((span as { attributes?: OtlpAttribute[] }).attributes ?? []).find((a) => a.key === key);
  return found && (found.value.stringValue ?? found.value.boolValue ?? found.value.intValue);
}

describe('flush at beforeExit', () => {
  it('ends the span of a stream that was never consumed and exports it when a script ends', async () => {
    const result = await runNode(
      ['--import', '@agent-otel/node/register', join(FIXTURES, 'unconsumed-stream-app.mjs')],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const spans = jsonSpans(receiver.requests);
    const agent = spans.find((span) => span.name === 'invoke_agent streamer');
    expect(attribute(agent, 'agent_otel.stream.end_reason')).toBe('shutdown');
    expect(attribute(agent, 'agent_otel.stream.ended_early')).toBe(true);
    const root = spans.find((span) => span.name === 'invoke_workflow lazy-run');
    expect(agent?.parentSpanId).toBe(root?.spanId);
  });
});
