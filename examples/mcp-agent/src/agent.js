'use strict';
// The trip-planner agent: one agent loop that offers the model the tools of two MCP servers, runs
// the tools it calls through MCP, and asks again until the model answers. The agent and its tool
// calls are traced with the agent-otel manual API; the model calls by @agent-otel/instrumentation-openai
// and the MCP calls by @agent-otel/instrumentation-mcp, both loaded by register().
const { withAgentSpan, withToolSpan } = require('@agent-otel/core');

const MODEL = 'gpt-4o-mini';
const AGENT = 'trip-planner';

/** The tools of every MCP server (one `tools/list` each), as model tool definitions. */
async function discoverTools(servers) {
  const owners = new Map();
  const definitions = [];
  for (const server of servers) {
    const { tools } = await server.client.listTools();
    for (const tool of tools) {
      owners.set(tool.name, server.client);
      definitions.push({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      });
    }
  }
  return { owners, definitions };
}

async function callModel(openai, messages, tools) {
  const completion = await openai.chat.completions.create({ model: MODEL, messages, tools });
  return completion.choices[0].message;
}

/**
 * One tool call. The `execute_tool {name}` span is active while the MCP client sends `tools/call`,
 * so the instrumentation puts the MCP attributes on it instead of adding a second span, and the
 * server's span becomes its child.
 */
async function runTool(owners, call) {
  const client = owners.get(call.function.name);
  return withToolSpan({ name: call.function.name, callId: call.id, agentName: AGENT }, async () => {
    const result = await client.callTool({
      name: call.function.name,
      arguments: JSON.parse(call.function.arguments),
    });
    return result.content.map((part) => part.text).join('\n');
  });
}

/** Runs the agent for one question and returns its answer. */
function runTripPlanner(openai, servers, question) {
  return withAgentSpan({ name: AGENT, model: MODEL }, async () => {
    const { owners, definitions } = await discoverTools(servers);
    const messages = [
      { role: 'system', content: 'You plan trips. Use the tools for weather and packing advice.' },
      { role: 'user', content: question },
    ];
    for (let turn = 0; turn < 5; turn++) {
      const reply = await callModel(openai, messages, definitions);
      if (!reply.tool_calls?.length) return reply.content;
      messages.push(reply);
      for (const call of reply.tool_calls) {
        messages.push({ role: 'tool', tool_call_id: call.id, content: await runTool(owners, call) });
      }
    }
    throw new Error('agent did not finish in 5 turns');
  });
}

module.exports = { MODEL, runTripPlanner };
