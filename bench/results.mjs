// What the benchmark scripts share about their reports: the checkout the figures were measured on,
// and writing a labelled section into bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Commit, branch, top-level folders with uncommitted changes, and Node of this checkout. */
export function checkout() {
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' });
    } catch {
      return undefined;
    }
  };
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD')?.trim();
  const dirty = [
    ...new Set(
      (git('status', '--porcelain') ?? '')
        .split('\n')
        .filter(Boolean)
        // Porcelain lines are `XY path`, the path relative to the repository root.
        .map((line) => line.slice(3).split('/')[0]),
    ),
  ];
  return {
    commit: git('rev-parse', '--short', 'HEAD')?.trim(),
    branch: branch === 'HEAD' ? 'detached HEAD' : branch,
    dirty,
    node: process.version,
  };
}

/**
 * Puts `body` between the markers of `label` in `file`: in place of the section with that label,
 * or at the end (a new file gets a heading); formatted with Prettier when it is installed.
 */
export async function writeSection(file, label, body) {
  const begin = `<!-- results:${label} -->`;
  const end = `<!-- /results:${label} -->`;
  const block = `${begin}\n\n${body}\n${end}\n`;
  let text = existsSync(file)
    ? await readFile(file, 'utf8')
    : '# Benchmark results\n\nOne section per label, replaced when a script runs again with the same label.\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from >= 0 && to > from)
    text = text.slice(0, from) + block + text.slice(to + end.length).replace(/^\n/, '');
  else text = `${text.replace(/\n*$/, '\n')}\n${block}`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...options, filepath: file });
  } catch (err) {
    process.stderr.write(`(not formatted: ${err.message})\n`);
  }
  await writeFile(file, text);
}
