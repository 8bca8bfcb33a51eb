// `npm run viewer:demo`: starts the traces viewer (@agent-otel/viewer) on 127.0.0.1, runs the offline
// examples with their OTLP exporter pointed at it, and keeps the viewer running until Ctrl-C.
//
//   npm run viewer:demo                      the viewer on 127.0.0.1:4318, a throwaway store
//   npm run viewer:demo -- --port 4400       another port (when 4318 is taken by a collector)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '4318' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`viewer:demo: --port ${values.port} is not a port number (1-65535)`);
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'agent-otel-viewer-demo-'));
const examples = ['support-agent', 'langgraph-agent', 'ai-sdk-agent'];

const viewer = spawn(
  process.execPath,
  [join(root, 'packages/viewer/dist/esm/cli.js'), '--port', String(port), '--db', join(dir, 'viewer.db')],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
let stopping = false;
viewer.on('exit', (code) => {
  rmSync(dir, { recursive: true, force: true });
  if (!stopping) {
    console.error(`viewer:demo: the viewer exited (code ${code}); nothing to show`);
    process.exit(code || 1);
  }
});
const stop = () => {
  stopping = true;
  viewer.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

async function ready() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${base}/api/source`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the viewer did not answer on ${base} within 10 s`);
}

function runExample(name) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'start', '--silent', '-w', `examples/${name}`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
      },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`example ${name} exited with ${code}`)),
    );
  });
}

try {
  await ready();
  for (const name of examples) {
    await runExample(name);
    console.log(`viewer:demo: ran examples/${name}`);
  }
  console.log(`viewer:demo: open ${base}/ (Ctrl-C to stop)`);
} catch (error) {
  console.error(`viewer:demo: ${error instanceof Error ? error.message : String(error)}`);
  stop();
  process.exitCode = 1;
}
