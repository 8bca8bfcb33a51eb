import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerEsmInstrumentationHook } from '../src/esm-loader-hook.js';

// The hook itself is exercised by child processes (see instrumentation-openai's child-process test);
// jest forbids loader hooks, so only the paths that register nothing run here.

describe('registerEsmInstrumentationHook', () => {
  let appDir: string;
  beforeEach(() => {
    appDir = mkdtempSync(join(tmpdir(), 'agent-otel-esm-'));
  });
  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it('registers nothing without instrumentations', () => {
    expect(registerEsmInstrumentationHook([], appDir)).toBeUndefined();
  });

  it('registers nothing when no instrumentation package resolves from the app directory', () => {
    expect(
      registerEsmInstrumentationHook(
        [{ packageName: '@fixture/not-installed', exportName: 'X', targetModule: 'openai' }],
        appDir,
      ),
    ).toBeUndefined();
  });
});
