/**
 * Start-up on a bad database: a file that is not a database, and a damaged page in the middle. `serve` refuses
 * with one line naming the file and the way on (exit 2); with --move-damaged-db it keeps the file aside and
 * starts fresh. (The backup before a migration: test/store/migration-preprocessing.test.ts.)
 */
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src-main/services';
import { cleanup, integrity, seedDataset, serve, serveExpectingExit, stop, tempDataDir } from './harness';

const dataDir = (): string => tempDataDir('damaged');
afterAll(cleanup);

/** Overwrites one page in the middle of the file with garbage (after folding the WAL into it). */
function damageMiddlePage(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const pageSize = 4096;
  const page = Math.floor(statSync(file).size / pageSize / 2);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  closeSync(fd);
}

describe('a damaged database at start-up', () => {
  it('a file that is not a database: refused naming the file, then moved aside with --move-damaged-db and a fresh start', async () => {
    const dir = dataDir();
    const file = join(dir, DB_FILE);
    const garbage = Buffer.from('this is not an SQLite database, just some bytes\n'.repeat(200));
    writeFileSync(file, garbage);

    const refused = await serveExpectingExit(dir);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(`${file} is damaged (file is not a database)`);
    expect(refused.output).toContain('--move-damaged-db');
    expect(refused.output).not.toMatch(/internal error|\n\s+at /); // one line, no stack trace
    expect(readFileSync(file)).toEqual(garbage); // untouched

    const s = await serve(dir, { args: ['--move-damaged-db'] });
    const kept = readdirSync(dir).find((f) => f.startsWith(`${DB_FILE}.damaged-`))!;
    expect(kept).toBeTruthy();
    expect(readFileSync(join(dir, kept))).toEqual(garbage);
    expect(s.output()).toContain(`the damaged database was moved to ${join(dir, kept)}`);
    expect(await s.api.call('datasets/list', {})).toEqual([]);
    await stop(s);
    expect(integrity(dir)).toBe('ok');
  }, 60_000);

  it('a damaged page in the middle is found at start-up (not one request at a time later)', async () => {
    const dir = dataDir();
    seedDataset(dir, 4000, 64);
    damageMiddlePage(join(dir, DB_FILE));
    const refused = await serveExpectingExit(dir);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(new RegExp(`${join(dir, DB_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(quick check: `));

    const s = await serve(dir, { args: ['--move-damaged-db'] });
    expect(await s.api.call('datasets/list', {})).toEqual([]);
    await stop(s);
    expect(readdirSync(dir).some((f) => f.startsWith(`${DB_FILE}.damaged-`))).toBe(true);
  }, 60_000);
});
