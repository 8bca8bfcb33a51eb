// Tests that start child processes load built output; they fail early, saying what to build.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Options of {@link assertBuilt}. */
export interface AssertBuiltOptions {
  /** The folder the `files` are relative to, e.g. the repository root. */
  readonly root: string;
  /** The built files the children load, e.g. `packages/node/dist/esm/register.js`. */
  readonly files: readonly string[];
  /** The command that builds them, named in the error. */
  readonly build: string;
}

/** Throws, naming the missing files and the command that builds them, unless every file exists. */
export function assertBuilt(options: AssertBuiltOptions): void {
  const missing = options.files.filter((file) => !existsSync(join(options.root, file)));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run \`${options.build}\` first`);
  }
}
