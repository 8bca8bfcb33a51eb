/** What to do about a store file that cannot be used. */
export const STORE_FILE_FIX = 'Move it away, or pass --db (AGENT_OTEL_VIEWER_DB) with another path.';

/**
 * A store file that cannot be used: not an SQLite file, another application's database, a newer
 * or older schema, or a corrupt file. The message names the file and what to do.
 */
export class StoreFileError extends Error {
  /** The database file. */
  readonly file: string;
  /**
   * Why: `foreign` (not ours), `newer` (a newer schema), `older` (an earlier schema this version does
   * not read), `corrupt`, `unreadable`.
   */
  readonly reason: 'foreign' | 'newer' | 'older' | 'corrupt' | 'unreadable';
  constructor(file: string, reason: StoreFileError['reason'], detail: string, options?: { cause?: unknown }) {
    super(`${file} ${detail}. ${STORE_FILE_FIX}`, options);
    this.name = 'StoreFileError';
    this.file = file;
    this.reason = reason;
  }
}

/** SQLite primary result codes the store tells apart. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** The SQLite primary result code of an error thrown by `node:sqlite`, if it is one. */
export function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** A `StoreFileError` for a corrupt or foreign file, else the error itself. */
export function fileError(file: string, error: unknown): unknown {
  if (error instanceof StoreFileError) return error;
  const code = sqliteCode(error);
  if (code === SQLITE_NOTADB)
    return new StoreFileError(
      file,
      'foreign',
      'is not an agent-otel viewer database (SQLite: file is not a database)',
      {
        cause: error,
      },
    );
  if (code === SQLITE_CORRUPT)
    return new StoreFileError(file, 'corrupt', 'is corrupt (SQLite: database disk image is malformed)', {
      cause: error,
    });
  return error;
}
