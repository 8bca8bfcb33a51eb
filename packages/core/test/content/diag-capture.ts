import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** One message logged through `diag`. */
export interface DiagEntry {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  message: string;
}

/**
 * Installs a collecting DiagLogger and returns the list it fills. Call `diag.disable()` afterwards
 * (see `useDiagCapture`).
 */
export function captureDiag(): DiagEntry[] {
  const entries: DiagEntry[] = [];
  const record =
    (level: DiagEntry['level']) =>
    (message: string): void => {
      entries.push({ level, message });
    };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.disable();
  diag.setLogger(logger, DiagLogLevel.ALL);
  return entries;
}

/** Registers beforeEach/afterEach hooks and returns a getter for the current test's entries. */
export function useDiagCapture(): { warnings(): string[]; entries(): DiagEntry[] } {
  let entries: DiagEntry[] = [];
  beforeEach(() => {
    entries = captureDiag();
  });
  afterEach(() => {
    diag.disable();
  });
  return {
    warnings: () => entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message),
    entries: () => entries,
  };
}
