// agent-otel-viewer: the viewer as a command (started by cli.js). Opens the store (or a remote source), imports JSONL
// files, serves the receiver, API and UI on one port, prunes by age and size every minute, and
// stops cleanly on SIGINT/SIGTERM. Each option has an environment-variable twin; the command line
// wins. A bad value stops it at once with a line naming the option (or variable) and the accepted
// form (exit 2); a start-up failure (port taken, unusable store file) exits 1.
import type { TraceSource } from './model.js';
import { importJsonlFile } from './otlp/jsonl-import.js';
import { createViewerServer, DEFAULT_HOST, DEFAULT_PORT } from './server/http.js';
import { isLoopbackHost } from './server/security.js';
import { REMOTE_SOURCE_FORMS, remoteSourceFromOption } from './sources/index.js';
import { Store, defaultDatabasePath } from './store/Store.js';
import { parseByteSize, parseDurationMs } from './store/retention.js';

const PREFIX = 'agent-otel viewer:';
const RETENTION_INTERVAL_MS = 60_000;
const MIN_TOKEN_CHARS = 16;

/** A bad command line or environment: exit 2. */
class UsageError extends Error {}

interface OptionSpec {
  readonly env?: string;
  readonly defaultValue?: string;
  /** The accepted form, for messages and --help. */
  readonly form: string;
  readonly repeatable?: boolean;
}

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  port: {
    env: 'AGENT_OTEL_VIEWER_PORT',
    defaultValue: String(DEFAULT_PORT),
    form: 'an integer from 0 to 65535 (0 picks a free port)',
  },
  host: {
    env: 'AGENT_OTEL_VIEWER_HOST',
    defaultValue: DEFAULT_HOST,
    form: 'an address or host name to listen on, e.g. 127.0.0.1',
  },
  db: { env: 'AGENT_OTEL_VIEWER_DB', form: 'the path of the SQLite store file' },
  source: { env: 'AGENT_OTEL_VIEWER_SOURCE', defaultValue: 'local', form: `local, ${REMOTE_SOURCE_FORMS}` },
  token: {
    env: 'AGENT_OTEL_VIEWER_TOKEN',
    form: `a secret of at least ${MIN_TOKEN_CHARS} characters without spaces (e.g. from \`openssl rand -hex 16\`)`,
  },
  'retention-age': {
    env: 'AGENT_OTEL_VIEWER_RETENTION_AGE',
    defaultValue: '7d',
    form: 'a duration such as 7d, 12h, 30m or 2w, or off',
  },
  'retention-size': {
    env: 'AGENT_OTEL_VIEWER_RETENTION_SIZE',
    defaultValue: '1GB',
    form: 'a size such as 1GB, 500MB or 2GiB, or off',
  },
  import: { repeatable: true, form: 'a JSONL span file written by JsonlFileExporter' },
};

interface Settings {
  readonly port: number;
  readonly host: string;
  readonly db: string;
  readonly source: TraceSource | undefined;
  readonly sourceText: string;
  readonly token: string | undefined;
  readonly retentionAgeMs: number | undefined;
  readonly retentionBytes: number | undefined;
  readonly imports: readonly string[];
}

const USAGE = `Usage: agent-otel-viewer [options]

A local traces page for agent runs: an OTLP/HTTP receiver (POST /v1/traces), an SQLite store and a
web UI on one port. Point OTEL_EXPORTER_OTLP_ENDPOINT at it (the default, http://localhost:4318,
needs no setting).

Options (each also read from its environment variable; the command line wins):
  --port <n>              AGENT_OTEL_VIEWER_PORT            default 4318
  --host <address>        AGENT_OTEL_VIEWER_HOST            default 127.0.0.1 (another address needs --token)
  --db <file>             AGENT_OTEL_VIEWER_DB              default ${defaultDatabasePath()}
  --source <source>       AGENT_OTEL_VIEWER_SOURCE          local (default), jaeger=URL or tempo=URL (read-only)
  --token <secret>        AGENT_OTEL_VIEWER_TOKEN           require Authorization: Bearer <secret> on /api and /v1
  --retention-age <age>   AGENT_OTEL_VIEWER_RETENTION_AGE   default 7d (off to keep everything)
  --retention-size <size> AGENT_OTEL_VIEWER_RETENTION_SIZE  default 1GB (off for no limit)
  --import <file.jsonl>   import a JsonlFileExporter file before serving (repeatable)
  -h, --help              show this help
`;

/** The raw option values: the command line's, else the environment's, else the defaults. */
function readOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { values: Map<string, { value: string; from: string }>; imports: string[]; help: boolean } {
  const values = new Map<string, { value: string; from: string }>();
  const imports: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=([\s\S]*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (see --help)`);
    const name = match[1]!;
    const spec = OPTIONS[name];
    if (spec === undefined) throw new UsageError(`unknown option --${name} (see --help)`);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name} needs a value: ${spec.form}`);
      }
      i++;
    }
    if (spec.repeatable) imports.push(value);
    else values.set(name, { value, from: `--${name}` });
  }
  for (const [name, spec] of Object.entries(OPTIONS)) {
    if (values.has(name) || spec.env === undefined) continue;
    const value = env[spec.env];
    if (value !== undefined && value !== '') values.set(name, { value, from: spec.env });
  }
  return { values, imports, help };
}

function invalid(from: string, value: string, name: string, detail?: string): UsageError {
  const shown = JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  const said = from.startsWith('--') ? `${from} ${shown}` : `${from}=${shown}`;
  return new UsageError(
    `${said} is not valid: expected ${OPTIONS[name]!.form}${detail ? ` (${detail})` : ''}`,
  );
}

function settingsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Settings | 'help' {
  const { values, imports, help } = readOptions(argv, env);
  if (help) return 'help';
  const get = (name: string) =>
    values.get(name) ?? { value: OPTIONS[name]!.defaultValue ?? '', from: `--${name}` };

  const portOption = get('port');
  const port = /^\d{1,5}$/.test(portOption.value.trim()) ? Number(portOption.value.trim()) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid(portOption.from, portOption.value, 'port');

  const hostOption = get('host');
  const host = hostOption.value.trim();
  if (host === '' || /[\s/]/.test(host)) throw invalid(hostOption.from, hostOption.value, 'host');

  const tokenOption = values.get('token');
  const token = tokenOption?.value;
  if (tokenOption !== undefined && (token!.length < MIN_TOKEN_CHARS || /\s/.test(token!))) {
    throw new UsageError(
      `${tokenOption.from} is not valid: expected ${OPTIONS.token!.form}`, // the value itself is not echoed
    );
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new UsageError(
      `${hostOption.from} ${host} is not a loopback address, and anyone who can reach it could read the traces ` +
        `and send spans: set a token with --token <secret> (or AGENT_OTEL_VIEWER_TOKEN); clients then send ` +
        `Authorization: Bearer <secret> (exporters: OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<secret>)`,
    );
  }

  const sourceOption = get('source');
  let source: TraceSource | undefined;
  try {
    source = remoteSourceFromOption(sourceOption.value);
  } catch (error) {
    // The accepted forms are in the message already; add what else was wrong (a bad URL).
    const detail = (error as Error).message;
    throw invalid(
      sourceOption.from,
      sourceOption.value,
      'source',
      detail.startsWith('expected ') ? undefined : detail,
    );
  }
  if (source !== undefined && imports.length > 0) {
    throw new UsageError(`--import needs the local store; drop it or --source ${sourceOption.value}`);
  }

  const ageOption = get('retention-age');
  const retentionAgeMs = disabled(ageOption.value) ? undefined : parseDurationMs(ageOption.value);
  if (!disabled(ageOption.value) && !(retentionAgeMs! > 0)) {
    throw invalid(ageOption.from, ageOption.value, 'retention-age');
  }
  const sizeOption = get('retention-size');
  const retentionBytes = disabled(sizeOption.value) ? undefined : parseByteSize(sizeOption.value);
  if (!disabled(sizeOption.value) && !(retentionBytes! > 0)) {
    throw invalid(sizeOption.from, sizeOption.value, 'retention-size');
  }

  const dbOption = values.get('db');
  if (dbOption !== undefined && dbOption.value.trim() === '')
    throw invalid(dbOption.from, dbOption.value, 'db');
  return {
    port,
    host,
    db: dbOption?.value ?? defaultDatabasePath(),
    source,
    sourceText: sourceOption.value.trim(),
    token,
    retentionAgeMs,
    retentionBytes,
    imports,
  };
}

function disabled(value: string): boolean {
  return /^\s*(off|none|0)\s*$/i.test(value);
}

function say(line: string): void {
  process.stdout.write(`${PREFIX} ${line}\n`);
}

function complain(line: string): void {
  process.stderr.write(`${PREFIX} ${line}\n`);
}

function listenProblem(error: NodeJS.ErrnoException, settings: Settings): string {
  const where = `${settings.host}:${settings.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return (
        `port ${settings.port} on ${settings.host} is in use (another OTLP collector, Jaeger, or a viewer already ` +
        `running?): stop it, or start the viewer on another port with --port (AGENT_OTEL_VIEWER_PORT) and point ` +
        `OTEL_EXPORTER_OTLP_ENDPOINT at it`
      );
    case 'EACCES':
      return `not allowed to listen on ${where}: pick a port above 1023 with --port (AGENT_OTEL_VIEWER_PORT)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${settings.host}: it is not an address of this machine; use --host (AGENT_OTEL_VIEWER_HOST)`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

async function main(): Promise<number> {
  let settings: Settings;
  try {
    const parsed = settingsFrom(process.argv.slice(2), process.env);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    settings = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    complain(error.message);
    return 2;
  }

  let store: Store | undefined;
  let source: TraceSource;
  if (settings.source === undefined) {
    try {
      store = Store.open(settings.db, { logger: (line) => say(line) });
    } catch (error) {
      complain(`cannot open the store: ${(error as Error).message}`);
      return 1;
    }
    source = store;
  } else source = settings.source;

  for (const file of settings.imports) {
    try {
      const result = await importJsonlFile(file, store!);
      const skipped =
        result.skipped === 0
          ? ''
          : `; skipped ${result.skipped} lines (first: line ${result.skippedLines[0]!.line}: ${result.skippedLines[0]!.message})`;
      say(`imported ${result.spans} spans from ${file}${skipped}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (error as Error).message;
      complain(`cannot import ${file}: ${why}`);
      await source.close();
      return 1;
    }
  }

  const server = createViewerServer({
    source,
    ...(store === undefined ? {} : { sink: store }),
    ...(settings.token === undefined ? {} : { token: settings.token }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  let url: string;
  try {
    url = await server.listen(settings.port, settings.host);
  } catch (error) {
    complain(listenProblem(error as NodeJS.ErrnoException, settings));
    await source.close();
    return 1;
  }

  const where =
    store === undefined
      ? `source: ${settings.sourceText}, read-only`
      : `OTLP/HTTP traces: ${url}/v1/traces; store: ${store.path}`;
  const tokenNote = settings.token === undefined ? '' : `; token required: open ${url}/#token=<token>`;
  say(`${url} (${where}${tokenNote})`);

  let retention: NodeJS.Timeout | undefined;
  let pruning: Promise<void> | undefined;
  const prune = () => {
    if (store === undefined || pruning !== undefined) return;
    const options = {
      ...(settings.retentionAgeMs === undefined ? {} : { maxAgeMs: settings.retentionAgeMs }),
      ...(settings.retentionBytes === undefined ? {} : { maxBytes: settings.retentionBytes }),
    };
    // The store writes a line when a run deleted something.
    pruning = store
      .prune(options)
      .then(() => undefined)
      .catch((error: unknown) => complain(`retention failed: ${(error as Error).message}`))
      .finally(() => {
        pruning = undefined;
      });
  };
  if (
    store !== undefined &&
    (settings.retentionAgeMs !== undefined || settings.retentionBytes !== undefined)
  ) {
    prune();
    retention = setInterval(prune, RETENTION_INTERVAL_MS);
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        complain(`${signal} again: exiting at once`);
        process.exit(130);
      }
      stopping = true;
      say(`${signal}: stopping`);
      clearInterval(retention);
      void (async () => {
        await server.close();
        await pruning;
        await source.close();
        say('stopped');
        resolve(0);
      })().catch((error: unknown) => {
        complain(`stopping failed: ${(error as Error).message}`);
        resolve(1);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Leftover handles (a remote source's sockets) do not keep a stopped viewer alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    complain(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
