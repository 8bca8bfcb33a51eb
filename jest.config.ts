import type { Config } from 'jest';

// One jest project per package. Tests run against the TypeScript sources (through @swc/jest, which
// does not depend on the TypeScript compiler version); tests that start child Node processes use the
// built `dist/` output, which `npm test` builds first.
const packages = [
  'core',
  'node',
  'testing',
  'instrumentation-openai',
  'instrumentation-anthropic',
  'openai-agents',
  'instrumentation-mcp',
  'ai-sdk',
  'langchain',
  'viewer',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { decoratorVersion: '2022-03' },
    },
    module: { type: 'commonjs' },
  },
] as const;

/**
 * Libraries published as ESM only (the Vercel AI SDK 7 and its provider packages). Jest needs
 * `--experimental-vm-modules` to require() ESM, so these are compiled to CommonJS like our sources
 * in the projects that test them; child-process tests load them as Node does.
 */
const esmOnlyDependencies = '(ai|@ai-sdk|@vercel|eventsource-parser|@standard-schema|zod|@workflow)';
const esmOnlyProjects = new Set(['ai-sdk']);

/**
 * The OTLP exporters load node:http with a dynamic `import()` inside CommonJS (otlp-exporter-base),
 * which jest's VM refuses without `--experimental-vm-modules`. Projects that export to a real
 * receiver (the viewer's tests) compile that package's .cjs files with swc, which turns the import
 * into a require(). The package may be nested under an exporter's own node_modules.
 */
const otlpExporterProjects = new Set(['viewer']);
const otlpExporterBase = '/@opentelemetry/otlp-exporter-base/';

/** Runnable examples; their tests run them as a user would (child processes on the built packages). */
const examples = ['support-agent', 'openai-agents-support', 'mcp-agent', 'ai-sdk-agent', 'langgraph-agent'];

const config: Config = {
  projects: [
    ...packages.map((name) => ({ name, dir: `packages/${name}` })),
    ...examples.map((name) => ({ name: `example-${name}`, dir: `examples/${name}` })),
    { name: 'scripts', dir: 'scripts' },
  ].map(({ name, dir }) => ({
    displayName: name,
    rootDir: `<rootDir>/${dir}`,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)sx?$': swc as unknown as [string, Record<string, unknown>],
      ...(otlpExporterProjects.has(name)
        ? { [`${otlpExporterBase}.+\\.cjs$`]: swc as unknown as [string, Record<string, unknown>] }
        : {}),
    },
    ...(esmOnlyProjects.has(name)
      ? { transformIgnorePatterns: [`/node_modules/(?!${esmOnlyDependencies}/)`] }
      : otlpExporterProjects.has(name)
        ? { transformIgnorePatterns: [`^(?!.*${otlpExporterBase}).*/node_modules/`] }
        : {}),
    moduleNameMapper: {
      '^@agent-otel/(core|node|testing|instrumentation-openai|instrumentation-anthropic|openai-agents|instrumentation-mcp|ai-sdk|langchain|viewer)$':
        '<rootDir>/../../packages/$1/src/index.ts',
      '^@agent-otel/core/(instrumentation|semconv)$': '<rootDir>/../../packages/core/src/$1.ts',
      '^@agent-otel/testing/(tracing|conformance)$': '<rootDir>/../../packages/testing/src/$1.ts',
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
  })),
};

export default config;
