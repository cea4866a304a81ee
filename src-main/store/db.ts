/**
 * The one SQLite connection (better-sqlite3): WAL, foreign keys, migrations by `PRAGMA user_version`,
 * and a per-connection cache of prepared statements. SQL lives only under `src-main/store/`.
 *
 * Native module ABI: under Electron, better-sqlite3 must be the build for Electron's ABI while Node
 * (tests, CLI, browser mode) uses the ordinary build in node_modules. When the environment variable
 * `KMEANS_SQLITE_BINDING` names a `better_sqlite3.node` file it is passed as better-sqlite3's
 * `nativeBinding` option (scripts/start.mjs builds the Electron one and sets it; worker processes
 * inherit it).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MIGRATIONS } from './migrations';

export const SQLITE_BINDING_ENV = 'KMEANS_SQLITE_BINDING';

/** Raised when the database was written by a newer version of the app; the file is left untouched. */
export class NewerDatabaseError extends Error {
  override readonly name = 'NewerDatabaseError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} was written by a newer version of K-means Explorer (schema version ${found}; this version knows up to ${supported}). ` +
        'Update the app, or start it with another data directory; the file was not modified.',
    );
  }
}

/**
 * Raised at open when the file is not a database or fails SQLite's quick check (a damaged page). The file is
 * left as it is; {@link moveAsideDamaged} keeps it under another name so the app can start fresh.
 */
export class CorruptDatabaseError extends Error {
  override readonly name = 'CorruptDatabaseError';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file} is damaged (${detail}); the file was not modified.`);
  }
}

export interface OpenOptions {
  /** Open without writing (job workers). The schema must already be current. */
  readonly?: boolean;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY; default 5000 ms. */
  busyTimeoutMs?: number;
  /** Run the quick check of a write open (default true); a worker writing beside main, which checked at start, skips it. */
  quickCheck?: boolean;
}

const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * Renames a damaged database (and its -wal / -shm files) to `NAME.damaged-<time>` beside it and returns the
 * new path of the main file; the next open starts an empty database.
 */
export function moveAsideDamaged(file: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dirname(file), `${basename(file)}.damaged-${stamp}`);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

/** A connection with its statement cache. */
export class Db {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly raw: Database.Database,
    readonly file: string,
  ) {}

  /** The prepared statement for `sql`, prepared once per connection. */
  stmt<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Database.Statement<P, R>;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.raw.transaction(fn)();
  }

  close(): void {
    this.statements.clear();
    if (this.raw.open) this.raw.close();
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating if needed) and migrates the database file; read-only opens check the version only. */
export function openDb(file: string, options: OpenOptions = {}): Db {
  const binding = process.env[SQLITE_BINDING_ENV];
  const nativeBinding = binding && existsSync(binding) ? binding : undefined;
  if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
  const raw = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, nativeBinding });
  try {
    raw.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
    // refuse a newer database before anything (even the journal mode) is written to it
    checkNotNewer(raw, file);
    if (!options.readonly && options.quickCheck !== false) {
      // a damaged page would otherwise surface later, one failing request at a time
      const check = raw.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      const problems = check.map((r) => r.quick_check).filter((m) => m !== 'ok');
      if (problems.length) throw new CorruptDatabaseError(file, `quick check: ${problems.join('; ')}`);
    }
    if (!options.readonly) raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    if (!options.readonly) raw.pragma('synchronous = NORMAL');
    const db = new Db(raw, file);
    migrate(db, options.readonly ?? false);
    return db;
  } catch (e) {
    raw.close();
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CORRUPT.test(code)) throw new CorruptDatabaseError(file, (e as Error).message);
    throw e;
  }
}

function checkNotNewer(raw: Database.Database, file: string): number {
  const version = raw.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new NewerDatabaseError(file, version, SCHEMA_VERSION);
  return version;
}

/** Where {@link migrate} copies a database of schema `version` before migrating it. */
export function backupPath(file: string, version: number): string {
  return `${file}.v${version}.backup`;
}

/** Brings the schema to SCHEMA_VERSION in one transaction, or refuses a newer database. */
export function migrate(db: Db, readonly = false): void {
  const version = checkNotNewer(db.raw, db.file);
  if (version === SCHEMA_VERSION) return;
  if (readonly) throw new Error(`${db.file} has schema version ${version}, expected ${SCHEMA_VERSION}; open it read-write first`);
  // a copy of the database as it was, before a migration changes it (a new, empty database needs none)
  if (version > 0) db.raw.prepare('VACUUM INTO ?').run(backupPath(db.file, version));
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v].up(db.raw);
    db.raw.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
}
