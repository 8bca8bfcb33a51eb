import type { DiagLogger } from '@opentelemetry/api';
import { FailureLog } from '../../src/calls/FailureLog';

function recordingLogger(): DiagLogger & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      lines.push(`${level} ${[message, ...args.map(String)].join(' ')}`);
  return {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    verbose: log('verbose'),
  };
}

describe('FailureLog', () => {
  it('warns the first time a label fails and logs at debug level afterwards', () => {
    const logger = recordingLogger();
    const failures = new FailureLog(logger, (label) => `pkg: ${label} failed`);
    failures.report('reading', new Error('one'));
    failures.report('reading', new Error('two'));
    failures.report('writing', new Error('three'));
    expect(logger.lines).toEqual([
      'warn pkg: reading failed Error: one',
      'debug pkg: reading failed Error: two',
      'warn pkg: writing failed Error: three',
    ]);
  });

  it('guard() runs the action and keeps its throw from the caller', () => {
    const logger = recordingLogger();
    const failures = new FailureLog(logger);
    let ran = false;
    failures.guard('fine', () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(() =>
      failures.guard('broken', () => {
        throw new Error('bug');
      }),
    ).not.toThrow();
    expect(logger.lines).toEqual(['warn broken Error: bug']);
  });

  it('never throws, not even when the logger does', () => {
    const throwing = {
      ...recordingLogger(),
      warn: () => {
        throw new Error('logger down');
      },
    };
    expect(() => new FailureLog(throwing).report('x', new Error('y'))).not.toThrow();
  });
});
