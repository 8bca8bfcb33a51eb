// The OpenTelemetry context follows the SDK's: spans other instrumentations start inside an agent, a
// tool or a model call nest under the bridge's span for it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { Runner, withCustomSpan, withTrace } from '@openai/agents';
import { useAgentsHarness } from './agents-harness.js';
import { installFetchTracing, type FetchTracing } from './fetch-tracing.js';
import { parentOf, waitFor } from './helpers.js';
import { createAgents, hooks, supportModel } from './support-flow.js';

const harness = useAgentsHarness();

let database: Server;
let databaseURL: string;
const received: IncomingHttpHeaders[] = [];
let fetchTracing: FetchTracing;

beforeAll(async () => {
  database = createServer((request, response) => {
    received.push(request.headers);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
  databaseURL = `http://127.0.0.1:${(database.address() as AddressInfo).port}`;
  fetchTracing = installFetchTracing(harness.tracing.provider.getTracer('test-http'));
});

afterAll(async () => {
  fetchTracing.uninstall();
  database.closeAllConnections();
  await new Promise<void>((resolve) => database.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

afterEach(() => {
  hooks.insideLookup = () => undefined;
});

const tracer = () => harness.tracing.provider.getTracer('test-app');

function spanId(name: string): string {
  return harness.tracing.byName(name).spanContext().spanId;
}

/** A tool body that calls an HTTP service with fetch and queries a "database" in a span of its own. */
function callServicesInsideTheTool(): void {
  hooks.insideLookup = async (invoiceId) => {
    const response = await fetch(`${databaseURL}/invoices/${invoiceId}`);
    await response.json();
    await tracer().startActiveSpan('SELECT invoices', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      span.end();
    });
  };
}

describe('OTel context inside SDK spans', () => {
  it('nests an HTTP call and a database span made inside a tool under its execute_tool span', async () => {
    harness.server.setDefault(supportModel);
    callServicesInsideTheTool();
    await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');

    const tool = spanId('execute_tool lookup_invoice');
    const http = harness.tracing.byName('GET /invoices/INV-7');
    expect(parentOf(http)).toBe(tool);
    expect(parentOf(harness.tracing.byName('SELECT invoices'))).toBe(tool);
    // And the context crossed the wire: the service got the HTTP span as its parent.
    const traceparent = String(received[0]!.traceparent);
    expect(traceparent).toBe(`00-${http.spanContext().traceId}-${http.spanContext().spanId}-01`);
    expect(http.spanContext().traceId).toBe(
      harness.tracing.byName('invoke_workflow support').spanContext().traceId,
    );
  });

  it("nests the model client's HTTP requests under the chat span of each model call", async () => {
    harness.server.setDefault(supportModel);
    await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');
    const chats = harness.tracing.spans().filter((s) => s.name === 'chat gpt-4o-mini');
    const posts = harness.tracing.spans().filter((s) => s.name === 'POST /v1/responses');
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map(parentOf))).toEqual(new Set(chats.map((c) => c.spanContext().spanId)));
    // The model server saw the chat spans' trace.
    for (const request of harness.server.requests) {
      expect(String(request.headers.traceparent)).toContain(chats[0]!.spanContext().traceId);
    }
  });

  it('keeps nesting right in a streamed run', async () => {
    harness.server.setDefault(supportModel);
    callServicesInsideTheTool();
    const result = await new Runner({ workflowName: 'support' }).run(
      createAgents().triage,
      'Status of INV-7?',
      {
        stream: true,
      },
    );
    for await (const _event of result.toStream()) {
      // consume
    }
    await result.completed;
    await waitFor(() => harness.tracing.spans().some((s) => s.name === 'invoke_workflow support'));
    expect(parentOf(harness.tracing.byName('GET /invoices/INV-7'))).toBe(
      spanId('execute_tool lookup_invoice'),
    );
    expect(parentOf(harness.tracing.byName('SELECT invoices'))).toBe(spanId('execute_tool lookup_invoice'));
  });

  it('puts the workflow under the span active when the run starts (e.g. an HTTP server span)', async () => {
    harness.server.setDefault(supportModel);
    await tracer().startActiveSpan('POST /support', async (request) => {
      await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');
      request.end();
    });
    expect(parentOf(harness.tracing.byName('invoke_workflow support'))).toBe(spanId('POST /support'));
  });

  it('restores the caller context after the run, and between SDK scopes', async () => {
    harness.server.setDefault(supportModel);
    const outside = context.active();
    await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');
    expect(context.active()).toBe(outside);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('nests a trace started inside a tool under that tool, and custom spans under the current SDK span', async () => {
    harness.server.setDefault(supportModel);
    hooks.insideLookup = async () => {
      await withTrace('audit', () =>
        withCustomSpan(
          async () => {
            await fetch(`${databaseURL}/audit`);
          },
          { data: { name: 'audit.write', data: { ok: true } } },
        ),
      );
    };
    await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');
    const audit = harness.tracing.byName('invoke_workflow audit');
    expect(parentOf(audit)).toBe(spanId('execute_tool lookup_invoice'));
    expect(parentOf(harness.tracing.byName('audit.write'))).toBe(audit.spanContext().spanId);
    expect(parentOf(harness.tracing.byName('GET /audit'))).toBe(spanId('audit.write'));
  });
});
