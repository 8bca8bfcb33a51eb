// The web UI's files (dist/ui): index.html for the SPA's routes, /assets/* for its scripts, styles
// and images. Only regular files inside the UI directory are served: no `..`, no dot files, no
// symbolic link leading out of it.
import { existsSync, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content types by file extension; anything else is served as application/octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
});

/** The SPA's client-side routes: each answers with index.html. */
const SPA_ROUTE = /^\/(?:(?:traces|conversations)(?:\/[^/]+)?\/?|stats\/?)?$/;
/** Largest UI file served. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** Whether `pathname` is one of the SPA's routes (`/`, `/traces/:id`, `/conversations[/:id]`, `/stats`). */
export function isSpaRoute(pathname: string): boolean {
  return SPA_ROUTE.test(pathname);
}

/**
 * The default UI directory: `dist/ui` of this package (found from this module's own path, which is
 * `dist/{esm,cjs}/server/` when built and `src/server/` under the tests).
 */
export function defaultUiDir(): string {
  const here = dirname(thisModuleFile());
  const candidates = [resolve(here, '../../ui'), resolve(here, '../../dist/ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

/**
 * The path of this module. The same source builds to CommonJS (`__filename`) and ESM
 * (`import.meta.url`), and neither name compiles in the other, so it is read from the call site.
 */
function thisModuleFile(): string {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = 1;
    const callSites = new Error().stack as unknown as NodeJS.CallSite[];
    const file = callSites[0]!.getFileName()!;
    return file.startsWith('file:') ? fileURLToPath(file) : file;
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
}

/** The UI's file for a request path: `/assets/<path>` (from `assets/` or the UI's root). */
function candidates(uiDir: string, pathname: string): string[] | undefined {
  if (!pathname.startsWith('/assets/')) return undefined;
  const segments: string[] = [];
  for (const raw of pathname.slice('/assets/'.length).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // No empty, `.`/`..` or hidden segments, no separators or NULs smuggled in by percent-encoding.
    if (segment === '' || segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return [join(uiDir, 'assets', ...segments), join(uiDir, ...segments)];
}

/** Sends a regular file inside `root` (real paths compared), or returns false. */
async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  root: string,
  file: string,
): Promise<boolean> {
  let real: string;
  try {
    real = await fsp.realpath(file);
  } catch {
    return false;
  }
  if (!real.startsWith(root + sep)) return false;
  const stat = await fsp.stat(real).catch(() => undefined);
  if (stat === undefined || !stat.isFile() || stat.size > MAX_FILE_BYTES) return false;
  const body = await fsp.readFile(real).catch(() => undefined);
  if (body === undefined) return false;
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

function notFound(request: IncomingMessage, response: ServerResponse, message: string): void {
  const body = Buffer.from(message + '\n', 'utf8');
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Answers a GET/HEAD outside /api and /v1: index.html for SPA routes, UI files, or 404. */
export async function serveUi(
  request: IncomingMessage,
  response: ServerResponse,
  uiDir: string,
  pathname: string,
): Promise<void> {
  let root: string;
  try {
    root = await fsp.realpath(uiDir);
  } catch {
    root = '';
  }
  const index = root === '' ? false : existsSync(join(root, 'index.html'));
  if (isSpaRoute(pathname)) {
    if (index && (await sendFile(request, response, root, join(root, 'index.html')))) return;
    return notFound(
      request,
      response,
      `The viewer's web UI is not built (no ${join(uiDir, 'index.html')}): run \`npm run build -w @agent-otel/viewer\`. ` +
        'The API (/api/...) and the OTLP receiver (/v1/traces) work without it.',
    );
  }
  const files = root === '' ? undefined : candidates(root, pathname);
  for (const file of files ?? []) {
    if (await sendFile(request, response, root, file)) return;
  }
  notFound(request, response, `Not found: ${pathname.slice(0, 200)}`);
}
