import { runNode } from '../src/run-node';

describe('runNode', () => {
  it('runs this Node with the given arguments and environment, and returns exit code and output', async () => {
    const result = await runNode(
      [
        '-e',
        'console.log(process.version, process.env.ONLY_THIS); console.error("to stderr"); process.exit(3)',
      ],
      { cwd: __dirname, env: { ONLY_THIS: 'yes' } },
    );
    expect(result).toEqual({ code: 3, stdout: `${process.version} yes\n`, stderr: 'to stderr\n' });
  });

  it('kills a child that runs past its time limit', async () => {
    const result = await runNode(['-e', 'setInterval(() => {}, 1000)'], {
      cwd: __dirname,
      env: {},
      timeoutMillis: 200,
    });
    expect(result.code).toBeNull();
  });
});
