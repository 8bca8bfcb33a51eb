// A real OTel pipeline, the scripted model server, and the Agents SDK pointed at it, with the bridge
// installed the way an application installs it.
import * as agents from '@openai/agents';
import OpenAI from 'openai';
import { createOpenAIClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import {
  instrumentOpenAIAgents,
  type InstrumentOpenAIAgentsOptions,
  type OpenAIAgentsInstrumentationHandle,
} from '../src/index.js';
import { setupTracing, type TestTracing } from './helpers.js';

export interface AgentsHarness {
  tracing: TestTracing;
  server: ScriptedServer;
  handle: OpenAIAgentsInstrumentationHandle;
  client: OpenAI;
}

/**
 * Call in a describe body (or at the top of a file). `skipConformance`: why the suite's telemetry
 * cannot conform (see `setupTracing`); by default the suite fails on any conformance violation.
 */
export function useAgentsHarness(
  options: InstrumentOpenAIAgentsOptions = {},
  skipConformance?: string,
): AgentsHarness {
  const harness = {} as AgentsHarness;
  beforeAll(async () => {
    harness.server = await startScriptedServer();
    harness.tracing = setupTracing({ skipConformance });
    // The SDK turns its tracing off when NODE_ENV=test (as under jest).
    agents.setTracingDisabled(false);
    harness.client = new OpenAI(createOpenAIClientOptions(harness.server));
    agents.setDefaultOpenAIClient(harness.client as never);
    agents.setOpenAIAPI('responses');
    harness.handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop', ...options });
  });
  beforeEach(() => {
    harness.server.reset();
    harness.tracing.reset();
  });
  afterAll(async () => {
    harness.handle.uninstrument();
    await harness.server.close();
    await harness.tracing.shutdown();
  });
  return harness;
}
