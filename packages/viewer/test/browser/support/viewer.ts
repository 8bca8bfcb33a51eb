// The real viewer for the browser tests: the HTTP server (receiver, API, UI from dist/ui) over the
// SQLite store in a temporary directory, on a free port of 127.0.0.1.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createViewerServer, type ViewerServer } from '../../../src/server/http';
import { Store } from '../../../src/store/Store';

export const UI_DIR = join(__dirname, '..', '..', '..', 'dist', 'ui');

export interface RunningViewer {
  readonly url: string;
  readonly store: Store;
  readonly server: ViewerServer;
  /** What the server logged (refused exports, failed requests). */
  readonly logs: string[];
  close(): Promise<void>;
}

/** Starts the viewer; the UI must be built (`npm run build`, or turbo's build of the package). */
export async function startViewer(options: { token?: string } = {}): Promise<RunningViewer> {
  if (!existsSync(join(UI_DIR, 'app.js'))) {
    throw new Error(
      `the viewer's UI is not built (${UI_DIR}/app.js is missing): run ` +
        '`npx turbo run build --filter=@agent-otel/viewer` first',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'agent-otel-viewer-ui-'));
  const store = Store.open(join(dir, 'viewer.db'));
  const logs: string[] = [];
  const server = createViewerServer({
    log: (line) => logs.push(line),
    source: store,
    sink: store,
    token: options.token,
    uiDir: UI_DIR,
    eventIntervalMs: 100,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    store,
    server,
    logs,
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
