import { runNode, startNode } from '../src/run-node';

describe('runNode', () => {
  it('runs this Node with the given arguments and environment, and returns exit code and output', async () => {
    const result = await runNode(
      [
        '-e',
        'console.log(process.version, process.env.ONLY_THIS, process.env.OTEL_SERVICE_NAME); console.error("to stderr"); process.exit(3)',
      ],
      { cwd: __dirname, env: { ONLY_THIS: 'yes' } },
    );
    expect(result).toEqual({
      code: 3,
      signal: null,
      stdout: `${process.version} yes undefined\n`,
      stderr: 'to stderr\n',
      elapsedMillis: expect.any(Number),
    });
  });

  it('passes PATH and HOME of this process unless the environment sets them', async () => {
    const script = 'console.log(JSON.stringify([process.env.PATH, process.env.HOME]))';
    const inherited = await runNode(['-e', script], { cwd: __dirname, env: {} });
    expect(JSON.parse(inherited.stdout)).toEqual([process.env.PATH, process.env.HOME]);
    const set = await runNode(['-e', script], { cwd: __dirname, env: { HOME: '/nowhere' } });
    expect(JSON.parse(set.stdout)).toEqual([process.env.PATH, '/nowhere']);
  });

  it('preloads modules with -r and --import', async () => {
    const result = await runNode(
      [
        '-r',
        'node:os',
        '--import',
        'data:text/javascript,globalThis.preloaded = 1',
        '-e',
        'console.log(preloaded)',
      ],
      { cwd: __dirname, env: {} },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1\n');
  });

  it('kills a child that runs past its time limit', async () => {
    const result = await runNode(['-e', 'setInterval(() => {}, 1000)'], {
      cwd: __dirname,
      env: {},
      timeoutMillis: 200,
    });
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGKILL');
  });
});

describe('startNode', () => {
  const ECHO = `
    console.log('ready on 4321');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (line) => console.error('got ' + line.trim()));
    process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
  `;

  it('waits for output on stdout and stderr, takes lines on stdin and stops the child', async () => {
    const running = startNode(['-e', ECHO], { cwd: __dirname, env: {} });
    expect(await running.waitForOutput(/ready on (\d+)/)).toEqual(['ready on 4321', '4321']);
    expect(await running.waitForOutput('ready')).toEqual(['ready']);
    running.send('hello');
    await running.waitForStderr('got hello');
    expect(running.stderr()).toBe('got hello\n');
    const result = await running.stop();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ready on 4321\nbye\n');
    expect(running.stdout()).toBe(result.stdout);
  });

  it('rejects a wait when the child ends first, or when the wait times out', async () => {
    const ended = startNode(['-e', 'console.log("something else")'], { cwd: __dirname, env: {} });
    await expect(ended.waitForOutput('never printed')).rejects.toThrow(
      /the child ended before printing never printed on stdout: .*something else/,
    );
    const silent = startNode(['-e', 'setInterval(() => {}, 1000)'], { cwd: __dirname, env: {} });
    await expect(silent.waitForStderr('never printed', 100)).rejects.toThrow(
      'the child ran 100 ms without printing never printed on stderr',
    );
    expect((await silent.stop('SIGKILL')).signal).toBe('SIGKILL');
  });
});
