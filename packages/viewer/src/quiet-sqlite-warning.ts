// Imported first by the command (cli.ts): Node 22 prints an ExperimentalWarning when `node:sqlite` is
// first loaded. The viewer is an application whose store is that module by design, so that one
// warning says nothing to its user; every other warning is printed as Node prints it.
const SQLITE_WARNING = /^SQLite is an experimental feature/;
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = function (warning: string | Error, ...rest: unknown[]): void {
  const message = typeof warning === 'string' ? warning : warning?.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  if (type === 'ExperimentalWarning' && typeof message === 'string' && SQLITE_WARNING.test(message)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
} as typeof process.emitWarning;

export {};
