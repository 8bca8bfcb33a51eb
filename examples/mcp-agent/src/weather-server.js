'use strict';
// The weather MCP server: started by the agent as a child process and spoken to over stdio.
// Its tracing comes from `node -r @agent-otel/node/register` (see servers.js); nothing here is
// OpenTelemetry-specific except one span of its own work.
const { withCustomSpan } = require('@agent-otel/core');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');

const FORECASTS = { lisbon: { sky: 'sunny', highC: 24 }, oslo: { sky: 'rain', highC: 9 } };

const server = new McpServer({ name: 'weather', version: '1.0.0' });
server.registerTool(
  'get_forecast',
  { description: 'Tomorrow’s forecast for a city', inputSchema: { city: z.string() } },
  async ({ city }) => {
    // Spans started by a tool handler nest under the server's `tools/call` span.
    const forecast = await withCustomSpan(
      { name: 'forecast_lookup', data: { city } },
      async () => FORECASTS[city.toLowerCase()],
    );
    if (!forecast) return { isError: true, content: [{ type: 'text', text: `No forecast for ${city}` }] };
    return { content: [{ type: 'text', text: `${city}: ${forecast.sky}, high of ${forecast.highC}°C` }] };
  },
);

server.connect(new StdioServerTransport()).catch((error) => {
  process.stderr.write(`weather server failed: ${error}\n`);
  process.exitCode = 1;
});
