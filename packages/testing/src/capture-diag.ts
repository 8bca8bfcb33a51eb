// Recording what is logged through the OTel diag logger.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** One message logged through `diag`. */
export interface DiagMessage {
  readonly level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  /** The message and its arguments (an Error as its message), joined by spaces. */
  readonly text: string;
}

/** What {@link captureDiag} returns. */
export interface CapturedDiag {
  /** Every message so far, in order. */
  readonly messages: DiagMessage[];
  /** Unregisters the logger (`diag.disable()`). */
  restore(): void;
}

/** Registers a `diag` logger at level ALL that records every message. */
export function captureDiag(): CapturedDiag {
  const messages: DiagMessage[] = [];
  const log =
    (level: DiagMessage['level']) =>
    (message: string, ...args: unknown[]) => {
      messages.push({
        level,
        text: [message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' '),
      });
    };
  const logger: DiagLogger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    verbose: log('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return { messages, restore: () => diag.disable() };
}
