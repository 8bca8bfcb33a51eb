// Helpers for counting instructions with valgrind (adapters-instructions.mjs).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const execFileP = promisify(execFile);

/** Exits with how to install valgrind when it is missing. */
export async function requireValgrind() {
  try {
    await execFileP('valgrind', ['--version']);
  } catch {
    process.stderr.write(
      'valgrind not found: install it (apt-get install valgrind) to count instructions.\n',
    );
    process.exit(1);
  }
}

/**
 * The two run sizes `A,B` of option `--name` (per unit = (I(B) − I(A)) / (B − A)); throws unless
 * 0 ≤ A < B.
 */
export function runSizes(value, name) {
  const [small, large] = value.split(',').map(Number);
  if (!(large > small && small >= 0)) throw new Error(`--${name} A,B needs 0 ≤ A < B`);
  return [small, large];
}
