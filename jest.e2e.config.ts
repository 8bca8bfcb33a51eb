import type { Config } from 'jest';

// End-to-end and fault suites (`npm run test:e2e`): every test runs real child Node processes on
// the built packages (`npm run build` first) against a real Jaeger v2 that the global setup builds
// once (scripts/jaeger/build.sh, cached outside the work tree) and starts on free loopback ports.
// One worker: the children, Jaeger and the timing figures share this machine's two cores.
const config: Config = {
  displayName: 'e2e',
  rootDir: '.',
  roots: ['<rootDir>/e2e'],
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
  globalSetup: '<rootDir>/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/global-teardown.ts',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      },
    ],
  },
};

export default config;
