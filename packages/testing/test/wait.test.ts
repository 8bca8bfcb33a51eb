import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt } from '../src/assert-built';
import { eventually, tick, waitFor } from '../src/wait';

describe('eventually', () => {
  it('resolves true once the condition holds', async () => {
    let looks = 0;
    expect(await eventually(() => ++looks === 3, { intervalMillis: 1 })).toBe(true);
    expect(looks).toBe(3);
  });

  it('resolves false when the condition never holds in time', async () => {
    const started = Date.now();
    expect(await eventually(() => false, { timeoutMillis: 50 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('collects garbage between looks when asked, so a dropped object can be seen to go', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ big: new Array(1000).fill(0) });
    })();
    await tick();
    expect(await eventually(() => ref!.deref() === undefined, { collectGarbage: true })).toBe(true);
  });
});

describe('waitFor', () => {
  it('resolves once the condition holds and rejects when it never does', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 20);
    await expect(waitFor(() => ready)).resolves.toBeUndefined();
    await expect(waitFor(() => false, { timeoutMillis: 30 })).rejects.toThrow('condition not met in 30 ms');
  });
});

describe('assertBuilt', () => {
  it('passes when every file exists and names the missing ones and the build command otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'agent-otel-built-'));
    try {
      writeFileSync(join(root, 'a.js'), '');
      expect(() => assertBuilt({ root, files: ['a.js'], build: 'npm run build' })).not.toThrow();
      expect(() => assertBuilt({ root, files: ['a.js', 'b.js', 'c.js'], build: 'npm run build' })).toThrow(
        'missing b.js, c.js: run `npm run build` first',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
