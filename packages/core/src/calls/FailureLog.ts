import { diag, type DiagLogger } from '@opentelemetry/api';

/**
 * Reports failures of instrumentation code that were caught so the user's call could go on: the
 * first failure of each label through `diag.warn`, later ones at `debug` level (a bug hit on every
 * call must not flood the log). Never throws, not even when the logger does.
 *
 * ```ts
 * const failures = new FailureLog(diag, (label) => `my-package: ${label} failed; the call is not affected`);
 * failures.guard('recording the result', () => span.update(resultData(result)));
 * ```
 */
export class FailureLog {
  private readonly reported = new Set<string>();

  /**
   * @param logger where the messages go (default: the global `diag`).
   * @param format the message of a label (default: the label itself).
   */
  constructor(
    private readonly logger: DiagLogger = diag,
    private readonly format: (label: string) => string = (label) => label,
  ) {}

  /** Logs `error` under `label`: at warn level the first time, at debug level afterwards. */
  report(label: string, error: unknown): void {
    try {
      const message = this.format(label);
      if (this.reported.has(label)) {
        this.logger.debug(message, error);
        return;
      }
      this.reported.add(label);
      this.logger.warn(message, error);
    } catch {
      // A throwing logger must not turn a swallowed failure into one the caller sees.
    }
  }

  /** Runs `action`; a throw is reported under `label` and never reaches the caller. */
  guard(label: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.report(label, error);
    }
  }
}
