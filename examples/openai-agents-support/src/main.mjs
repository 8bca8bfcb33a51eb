// The OpenAI Agents SDK support demo. `@agent-otel/node/register` (loaded with --import) sets up
// OpenTelemetry and installs the @agent-otel/openai-agents bridge, because @openai/agents is installed;
// this file is plain Agents SDK code. The real Runner talks to the scripted model server on 127.0.0.1,
// so it runs offline with no API key. Three runs: a question, a guardrail trip, a streamed refund.
import OpenAI from 'openai';
import {
  InputGuardrailTripwireTriggered,
  Runner,
  setDefaultOpenAIClient,
  setOpenAIAPI,
} from '@openai/agents';
import { startScriptedServer } from '@agent-otel/testing';
import { createSupportAgents } from './agents.mjs';
import { scriptedSupportModel } from './scripted-model.mjs';

const server = await startScriptedServer();
server.setDefault(scriptedSupportModel);
setDefaultOpenAIClient(
  new OpenAI({ baseURL: server.openaiBaseURL, apiKey: 'sk-demo-not-a-real-key', maxRetries: 0 }),
);
setOpenAIAPI('responses');

const { triage } = createSupportAgents();
const runner = new Runner({
  workflowName: 'customer-support',
  groupId: 'ticket-1234',
  traceMetadata: { channel: 'chat' },
});
const say = (text) => process.stdout.write(`${text}\n`);

try {
  say('Customer: What is the status of invoice INV-1001?');
  const answer = await runner.run(triage, 'What is the status of invoice INV-1001?');
  say(`Agent: ${answer.finalOutput}\n`);

  say("Customer: Show me someone else's invoice INV-2002.");
  try {
    await runner.run(triage, "Show me someone else's invoice INV-2002.");
  } catch (error) {
    if (!(error instanceof InputGuardrailTripwireTriggered)) throw error;
    say('Agent: (blocked by the account_ownership guardrail)\n');
  }

  say('Customer: Please refund invoice INV-1001.');
  process.stdout.write('Agent (streamed): ');
  const stream = await runner.run(triage, 'Please refund invoice INV-1001.', { stream: true });
  for await (const text of stream.toTextStream()) process.stdout.write(text);
  await stream.completed;
  say('\n');
} finally {
  await server.close();
}
