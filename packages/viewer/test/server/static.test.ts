// The UI's files: index.html for the SPA's routes, /assets/* with the right content types, nothing
// outside the UI directory (`..`, encoded separators, dot files, symbolic links out), and a clear
// 404 when the UI is not built.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createViewerServer, type ViewerServer } from '../../src/server/http.js';
import { isSpaRoute } from '../../src/server/static.js';
import { MemorySource } from '../support/MemorySource.js';
import { send } from '../support/http-request.js';

let root: string;
let ui: string;
let viewer: ViewerServer;
let url: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'viewer-static-'));
  ui = join(root, 'ui');
  mkdirSync(join(ui, 'assets', 'sub'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>viewer</title>');
  writeFileSync(join(ui, 'app.js'), 'export const app = 1;');
  writeFileSync(join(ui, 'styles.css'), 'body { color: black }');
  writeFileSync(join(ui, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(ui, 'assets', 'sub', 'chart.js'), 'export {};');
  writeFileSync(join(ui, 'assets', 'font.woff2'), 'wOF2');
  writeFileSync(join(ui, '.env'), 'SECRET=1');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  symlinkSync(join(root, 'secret.txt'), join(ui, 'assets', 'link.txt'));
  viewer = createViewerServer({ source: new MemorySource(), uiDir: ui });
  url = await viewer.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await viewer.close();
  rmSync(root, { recursive: true, force: true });
});

it('answers the SPA routes with index.html', async () => {
  for (const path of [
    '/',
    '/traces',
    `/traces/${'a'.repeat(32)}`,
    '/conversations',
    '/conversations/c%201',
    '/stats',
    '/stats/',
  ]) {
    const answer = await send(`${url}${path}`);
    expect([path, answer.status, answer.headers['content-type'], answer.text]).toEqual([
      path,
      200,
      'text/html; charset=utf-8',
      '<!doctype html><title>viewer</title>',
    ]);
  }
  expect(isSpaRoute('/traces/a/b')).toBe(false);
  expect((await send(`${url}/traces/a/b`)).status).toBe(404);
  expect((await send(`${url}/`, { method: 'HEAD' })).body.length).toBe(0);
});

it('serves /assets/* from assets/ or the UI root, with content types', async () => {
  const cases: [string, string, string][] = [
    ['/assets/app.js', 'text/javascript; charset=utf-8', 'export const app = 1;'],
    ['/assets/styles.css', 'text/css; charset=utf-8', 'body { color: black }'],
    ['/assets/favicon.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['/assets/sub/chart.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['/assets/font.woff2', 'font/woff2', 'wOF2'],
  ];
  for (const [path, type, text] of cases) {
    const answer = await send(`${url}${path}`);
    expect([path, answer.status, answer.headers['content-type'], answer.text]).toEqual([
      path,
      200,
      type,
      text,
    ]);
  }
});

it('serves nothing outside the UI directory, nor dot files', async () => {
  for (const path of [
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/link.txt',
    '/assets/.env',
    '/assets/%2eenv',
    '/assets/app.js%00.png',
    '/assets/%E0%A4%A',
    '/assets/',
    '/assets//etc/passwd',
    '/secret.txt',
    '/app.js',
    '/index.html/../../secret.txt',
  ]) {
    const answer = await send(url, { path });
    expect([path, answer.status]).toEqual([path, 404]);
    expect(answer.text).not.toContain('outside');
    expect(answer.text).not.toContain('SECRET');
  }
});

it('answers 404 saying how to build the UI when it is not built', async () => {
  const bare = createViewerServer({ source: new MemorySource(), uiDir: join(root, 'missing') });
  const bareUrl = await bare.listen(0, '127.0.0.1');
  try {
    const answer = await send(`${bareUrl}/traces`);
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.text).toContain("The viewer's web UI is not built");
    expect(answer.text).toContain('npm run build -w @agent-otel/viewer');
    expect((await send(`${bareUrl}/assets/app.js`)).status).toBe(404);
    expect((await send(`${bareUrl}/api/source`)).status).toBe(200);
  } finally {
    await bare.close();
  }
});
