import { join } from 'node:path';
import { otlpJsonSpans, startOtlpReceiver, type OtlpReceiver } from '@agent-otel/testing';
import { assertNodeBuilt, FIXTURES, runNode } from './helpers.js';

jest.setTimeout(30000);

let receiver: OtlpReceiver;
beforeAll(() => assertNodeBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

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
    const spans = otlpJsonSpans(receiver.requests);
    const agent = spans.find((span) => span.name === 'invoke_agent streamer');
    expect(agent?.attributes['agent_otel.stream.end_reason']).toBe('shutdown');
    expect(agent?.attributes['agent_otel.stream.ended_early']).toBe(true);
    const root = spans.find((span) => span.name === 'invoke_workflow lazy-run');
    expect(agent?.parentSpanId).toBe(root?.spanId);
  });
});
