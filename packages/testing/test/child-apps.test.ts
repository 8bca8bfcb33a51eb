import { useChildApps, type TestHooks } from '../src/child-apps';

// A child that calls the scripted server (OPENAI_BASE_URL), exports to the receiver
// (OTEL_EXPORTER_OTLP_ENDPOINT) and prints the rest of what it was given.
const APP = `
  const reply = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  }).then((response) => response.json());
  await fetch(process.env.OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/traces', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { ANTHROPIC_BASE_URL, OTEL_EXPORTER_OTLP_PROTOCOL, SERVICE, EXTRA } = process.env;
  console.log(JSON.stringify([reply.choices[0].message.content, ANTHROPIC_BASE_URL, OTEL_EXPORTER_OTLP_PROTOCOL, SERVICE, EXTRA]));
`;

describe('useChildApps', () => {
  const apps = useChildApps({
    hooks: { beforeAll, beforeEach, afterEach, afterAll },
    root: __dirname,
    files: ['child-apps.test.ts'],
    build: 'nothing to build',
    env: { SERVICE: 'svc', EXTRA: 'from the options' },
  });
  let firstReceiverUrl = '';

  it('runs an app against the scripted server and the receiver, with the options env and its own', async () => {
    apps.server.enqueue({ text: 'scripted' });
    const result = await apps.run(['--input-type=module', '-e', APP], { EXTRA: 'from the run' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      'scripted',
      apps.server.anthropicBaseURL,
      'http/json',
      'svc',
      'from the run',
    ]);
    expect(apps.server.requests).toHaveLength(1);
    expect(apps.receiver.requests.map((request) => request.path)).toEqual(['/v1/traces']);
    firstReceiverUrl = apps.receiver.url;
  });

  it('gives each test a new receiver and a reset server', () => {
    expect(firstReceiverUrl).not.toBe('');
    expect(apps.receiver.url).not.toBe(firstReceiverUrl);
    expect(apps.receiver.requests).toEqual([]);
    expect(apps.server.requests).toEqual([]);
  });
});

describe('useChildApps with a built file missing', () => {
  /** Hooks that only record what is registered, for this test to call. */
  function recordedHooks() {
    const registered: Record<keyof TestHooks, (() => Promise<void>)[]> = {
      beforeAll: [],
      beforeEach: [],
      afterEach: [],
      afterAll: [],
    };
    const hooks: TestHooks = {
      beforeAll: (fn) => registered.beforeAll.push(fn),
      beforeEach: (fn) => registered.beforeEach.push(fn),
      afterEach: (fn) => registered.afterEach.push(fn),
      afterAll: (fn) => registered.afterAll.push(fn),
    };
    return { hooks, registered };
  }

  it('fails before the tests, naming the file and the build command; starts nothing', async () => {
    const { hooks, registered } = recordedHooks();
    const apps = useChildApps({ hooks, root: __dirname, files: ['nope.js'], build: 'npm run build' });
    expect(Object.values(registered).map((fns) => fns.length)).toEqual([1, 1, 1, 1]);
    await expect(registered.beforeAll[0]!()).rejects.toThrow('missing nope.js: run `npm run build` first');
    expect(() => apps.server).toThrow('useChildApps: the scripted server is used outside a test');
    expect(() => apps.receiver).toThrow('useChildApps: the receiver is used outside a test');
    await expect(apps.run(['-e', ''])).rejects.toThrow('the scripted server is used outside a test');
    await registered.afterEach[0]!();
    await registered.afterAll[0]!();
  });
});
