import { diag } from '@opentelemetry/api';

// Flushing when the process ends. `beforeExit` fires when the event loop is empty (not on
// `process.exit()` or a fatal signal), which covers scripts that simply run to completion. For
// SIGINT/SIGTERM, Node's default is to die at once; a listener replaces that default, so when
// ours is the only one we flush, remove ourselves and raise the signal again: the process still
// dies of that signal, with the usual exit status. When another listener exists (the application's,
// or a library's that exits only when it is the last one) it owns the decision to exit: we remove
// our listeners and flush.

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** What the listeners do; both must resolve within a bounded time and never reject. */
export interface ExitHooks {
  /** Exports what is buffered; the process keeps running. */
  flush(): Promise<void>;
  /**
   * The event loop is empty: nothing can consume a still-open stream any more, so its span is ended
   * (reason `shutdown`) and everything is exported.
   */
  beforeExit(): Promise<void>;
  /** Flushes and shuts everything down, removing these listeners; called before re-raising a signal. */
  shutdown(): Promise<void>;
}

/** Adds the `beforeExit`, SIGINT and SIGTERM listeners; returns the function that removes them. */
export function installExitListeners(hooks: ExitHooks): () => void {
  const onBeforeExit = (): void => {
    void hooks.beforeExit();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const othersListen = process.listeners(signal).some((listener) => listener !== onSignal);
    if (othersListen) {
      // Someone else handles this signal. Step aside first, then flush: libraries such as the
      // OpenAI Agents SDK exit only when they are the last listener, so staying registered would
      // leave a process that nobody ends.
      remove();
      void hooks.flush();
      return;
    }
    diag.debug(`@agent-otel/node: ${signal} received; flushing telemetry before exiting.`);
    void hooks.shutdown().finally(() => {
      remove();
      process.kill(process.pid, signal);
    });
  };
  const remove = (): void => {
    process.removeListener('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  process.once('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return remove;
}
