import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { plainReexports } = require('../plain-reexports.cjs');

const GETTER = (name: string, from: string) =>
  `Object.defineProperty(exports, "${name}", { enumerable: true, get: function () { return ${from}.${name}; } });`;

describe('plainReexports', () => {
  it('turns each re-export getter into a plain property and leaves everything else as it was', () => {
    const text = [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'var values_js_1 = require("./values.js");',
      GETTER('isRecord', 'values_js_1'),
      GETTER('$odd_Name1', 'm_2'),
      'Object.defineProperty(exports, "x", { enumerable: true, get: function () { return compute(); } });',
      'exports.VERSION = "1";',
    ].join('\n');
    expect(plainReexports(text).split('\n')).toEqual([
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'var values_js_1 = require("./values.js");',
      'exports.isRecord = values_js_1.isRecord;',
      'exports.$odd_Name1 = m_2.$odd_Name1;',
      'Object.defineProperty(exports, "x", { enumerable: true, get: function () { return compute(); } });',
      'exports.VERSION = "1";',
    ]);
  });

  // The built entry points (npm test builds first): every re-exported name holds the very value the
  // getter would have returned, read from the module it comes from.
  it.each(['index', 'instrumentation', 'semconv'])(
    'built @agent-otel/core/%s exports plain properties with the defining modules’ values',
    (entry) => {
      const file = resolve(__dirname, `../../packages/core/dist/cjs/${entry}.js`);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/get: function \(\) \{ return/);
      const requires = new Map(
        [...text.matchAll(/^(?:var|const) ([\w$]+) = require\("([^"]+)"\);$/gm)].map((m) => [m[1], m[2]]),
      );
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const built = require(file);
      let checked = 0;
      for (const [, name, variable, property] of text.matchAll(
        /^exports\.([\w$]+) = ([\w$]+)\.([\w$]+);$/gm,
      )) {
        const source = requires.get(variable!);
        if (source === undefined) continue;
        const descriptor = Object.getOwnPropertyDescriptor(built, name!);
        expect(descriptor && 'value' in descriptor).toBe(true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(built[name!]).toBe(require(join(dirname(file), source))[property!]);
        checked++;
      }
      if (entry !== 'semconv') expect(checked).toBeGreaterThan(10);
    },
  );
});
