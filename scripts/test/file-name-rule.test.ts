import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';

// The lint rule behind CONTRIBUTING.md's file-naming rule; loaded as ESLint loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fileNameRule } = require('../eslint/file-name-rule.cjs');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

describe('agent-otel/file-name', () => {
  tester.run('file-name', fileNameRule, {
    valid: [
      { filename: '/p/src/stream-observer.ts', code: 'export function observe() {}' },
      { filename: '/p/src/AgentSpan.ts', code: 'export class AgentSpan {}\nexport class NoopAgentSpan {}' },
      {
        filename: '/p/src/BaggageSpanProcessor.ts',
        code: 'export const K = 1;\nexport class BaggageSpanProcessor {}',
      },
      { filename: '/p/src/errors.ts', code: 'export class A {}\nexport class B {}' },
      { filename: '/p/src/types.ts', code: 'export interface Options { a: number }' },
      { filename: '/p/src/instrumentation.ts', code: 'export class OpenAIInstrumentation {}' },
      { filename: '/p/test/chat-stream.test.ts', code: 'it("x", () => {});' },
      { filename: '/p/e2e/bad-inputs.e2e.test.ts', code: 'it("x", () => {});' },
      { filename: '/p/test/fixtures/spans-app.cjs', code: 'module.exports = {};' },
    ],
    invalid: [
      { filename: '/p/src/createResource.ts', code: 'export function createResource() {}', errors: 1 },
      { filename: '/p/src/Helpers.ts', code: 'export function helper() {}', errors: 1 },
      { filename: '/p/src/id-generator.ts', code: 'export class IdGenerator {}', errors: 1 },
      { filename: '/p/test/resolveConfig.test.ts', code: 'it("x", () => {});', errors: 1 },
      { filename: '/p/test/AgentSpan.test.ts', code: 'it("x", () => {});', errors: 1 },
      { filename: '/p/src/snake_case.ts', code: 'export const a = 1;', errors: 1 },
    ],
  });
});
