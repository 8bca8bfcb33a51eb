'use strict';
// Starts the two MCP servers as child processes, each traced by `node -r @agent-otel/node/register`
// (which loads @agent-otel/instrumentation-mcp because @modelcontextprotocol/sdk is installed), and
// connects an MCP client to each. The children inherit the exporter settings, so every process
// writes to the same JSONL file and, when configured, the same OTLP endpoint.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const EXAMPLE_DIR = join(__dirname, '..');
const TRACED = ['-r', '@agent-otel/node/register'];

function childEnv(serviceName) {
  // Never the `tree` exporter in a child: a stdio server's stdout is the MCP connection.
  return { ...process.env, OTEL_SERVICE_NAME: serviceName, AGENT_OTEL_EXPORTERS: 'jsonl' };
}

/** The weather server, spawned by the SDK's stdio transport. */
async function connectWeather() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...TRACED, join(__dirname, 'weather-server.js')],
    cwd: EXAMPLE_DIR,
    env: childEnv('weather-mcp-server'),
    stderr: 'inherit',
  });
  const client = new Client({ name: 'trip-planner', version: '1.0.0' });
  await client.connect(transport);
  // Closing ends the child's stdin; it flushes its spans and exits before close() resolves.
  return { client, close: () => client.close() };
}

/** The travel-docs server, a separate process listening on 127.0.0.1. */
async function connectDocs() {
  const child = spawn(process.execPath, [...TRACED, join(__dirname, 'docs-server.js')], {
    cwd: EXAMPLE_DIR,
    env: childEnv('docs-mcp-server'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`docs server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
  });
  const client = new Client({ name: 'trip-planner', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
  await client.connect(transport);
  return {
    client,
    async close() {
      // An HTTP DELETE ends the MCP session on the server (and its mcp.server.session.duration).
      await transport.terminateSession();
      await client.close();
      child.kill('SIGTERM'); // @agent-otel/node flushes the child's spans before it exits
      await exited;
    },
  };
}

module.exports = { connectWeather, connectDocs };
