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
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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

export interface OpenOptions {
  /** Open without writing (job workers). The schema must already be current. */
  readonly?: boolean;
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
    // refuse a newer database before anything (even the journal mode) is written to it
    checkNotNewer(raw, file);
    if (!options.readonly) raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    if (!options.readonly) raw.pragma('synchronous = NORMAL');
    const db = new Db(raw, file);
    migrate(db, options.readonly ?? false);
    return db;
  } catch (e) {
    raw.close();
    throw e;
  }
}

function checkNotNewer(raw: Database.Database, file: string): number {
  const version = raw.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new NewerDatabaseError(file, version, SCHEMA_VERSION);
  return version;
}

/** Brings the schema to SCHEMA_VERSION in one transaction, or refuses a newer database. */
export function migrate(db: Db, readonly = false): void {
  const version = checkNotNewer(db.raw, db.file);
  if (version === SCHEMA_VERSION) return;
  if (readonly) throw new Error(`${db.file} has schema version ${version}, expected ${SCHEMA_VERSION}; open it read-write first`);
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v].up(db.raw);
    db.raw.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
}
