/**
 * Schema migrations, one file per version, applied in order by `migrate` (db.ts) inside one transaction.
 * MIGRATIONS[i] brings user_version i to i + 1. Never edit a released migration; add the next one.
 */
import type Database from 'better-sqlite3';
import { m0001Initial } from './0001-initial';
import { m0002Preprocessing } from './0002-preprocessing';
import { m0003RunOrigin } from './0003-run-origin';
import { m0004Embeddings } from './0004-embeddings';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001Initial, m0002Preprocessing, m0003RunOrigin, m0004Embeddings];
