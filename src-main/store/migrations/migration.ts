import type Database from 'better-sqlite3';

/** One schema step: brings user_version i to i + 1 (see index.ts). */
export interface Migration {
  name: string;
  up(db: Database.Database): void;
}
