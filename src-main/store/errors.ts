/**
 * Which database errors are worth a retry: the database is busy or locked by another connection, the disk is
 * full, or an I/O error that may clear. Anything else (a constraint, a bug) will fail the same way again.
 */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|PROTOCOL|READONLY)/;

export function isTransientDbError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT.test(code);
}

/** "database is locked (SQLITE_BUSY)": the message a user sees when a write has to wait. */
export function describeDbError(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown } | null;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return typeof err?.code === 'string' && !message.includes(err.code) ? `${message} (${err.code})` : message;
}
