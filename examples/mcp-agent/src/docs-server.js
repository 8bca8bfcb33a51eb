'use strict';
// The travel-docs MCP server: a separate process serving Streamable HTTP on 127.0.0.1 (random
// port, printed as `LISTENING <port>`). Tracing comes from `node -r @agent-otel/node/register`.
const { randomUUID } = require('node:crypto');
const { createServer } = require('node:http');
const { withCustomSpan } = require('@agent-otel/core');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { z } = require('zod');

const GUIDES = [
  {
    title: 'Packing for Lisbon',
    text: 'Hills and sun: comfortable shoes, sunscreen, a light jacket for the evening.',
  },
  { title: 'Packing for Oslo', text: 'Layers and a waterproof shell.' },
];

const server = new McpServer({ name: 'travel-docs', version: '1.0.0' });
server.registerTool(
  'search_docs',
  { description: 'Search the travel guides', inputSchema: { query: z.string() } },
  async ({ query }) => {
    const words = query.toLowerCase().split(/\W+/).filter(Boolean);
    const hits = await withCustomSpan({ name: 'search_index', data: { terms: words.length } }, async () =>
      GUIDES.filter((guide) => words.some((word) => guide.title.toLowerCase().includes(word))),
    );
    return { content: hits.map((guide) => ({ type: 'text', text: `${guide.title}: ${guide.text}` })) };
  },
);

// One client, one session: a single stateful transport is enough for the demo.
const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
const http = createServer((request, response) => {
  transport.handleRequest(request, response).catch((error) => {
    process.stderr.write(`docs server: ${error}\n`);
  });
});

server
  .connect(transport)
  .then(() => http.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${http.address().port}\n`)))
  .catch((error) => {
    process.stderr.write(`docs server failed: ${error}\n`);
    process.exitCode = 1;
  });
