// The built UI (dist/ui) as the server serves it: plain ES modules that never parse markup, an
// index.html with no inline script or style (the CSP forbids both), and every import resolvable.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UI_DIR } from './support/viewer';

/** APIs that turn strings into markup or code. The UI builds its DOM with createElement/textContent. */
const FORBIDDEN = [
  'innerHTML',
  'outerHTML',
  'insertAdjacentHTML',
  'document.write',
  'createContextualFragment',
  'setHTMLUnsafe',
  'parseHTMLUnsafe',
  'DOMParser',
  'srcdoc',
  'eval(',
  'new Function',
  'javascript:',
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the built UI (dist/ui)', () => {
  beforeAll(() => {
    if (!existsSync(join(UI_DIR, 'app.js'))) {
      throw new Error(
        `${UI_DIR}/app.js is missing: build the package first (npx turbo run build --filter=@agent-otel/viewer)`,
      );
    }
  });

  it('never uses an API that parses markup or code', () => {
    const scripts = files(UI_DIR).filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(5);
    const offences = scripts.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter((api) => text.includes(api)).map((api) => `${file}: ${api}`);
    });
    expect(offences).toEqual([]);
  });

  it('sets element styles only through the CSSOM (style.setProperty), never a style attribute', () => {
    const offences = files(UI_DIR)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const found: string[] = [];
        for (const m of text.matchAll(/\.style\.(\w+)/g)) if (m[1] !== 'setProperty') found.push(m[0]);
        if (/setAttribute\(\s*['"]style['"]/.test(text) || /['"]style['"]\s*:/.test(text))
          found.push('style attribute');
        return found.map((what) => `${file}: ${what}`);
      });
    expect(offences).toEqual([]);
  });

  it('has an index.html that loads /assets/app.js as a module and /assets/styles.css, nothing inline', () => {
    const html = readFileSync(join(UI_DIR, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/styles.css" />');
    // Every <script> has a src and no body; no <style>, no style= or on*= attributes.
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\bsrc="\/assets\//);
      expect(m[2].trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(existsSync(join(UI_DIR, 'styles.css'))).toBe(true);
  });

  it('imports only modules that exist beside it (relative ES module paths, no bare specifiers)', () => {
    const missing: string[] = [];
    for (const file of files(UI_DIR).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g,
      )) {
        const specifier = m[1] ?? m[2];
        if (!specifier.startsWith('./') && !specifier.startsWith('../'))
          missing.push(`${file}: bare ${specifier}`);
        else if (!existsSync(join(file, '..', specifier))) missing.push(`${file}: ${specifier}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
