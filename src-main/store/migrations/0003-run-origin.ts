import type { Migration } from './migration';

/**
 * Where a run came from: 'app' (computed by the app; every older run), 'cli' (`cluster --save`) or 'external'
 * (a labeling made elsewhere: `score --save`, a labels file dropped on a dataset), with the command or file it
 * came from. An external run's params are placeholders (k = its clusters) and are shown as n/a.
 * And a CSV dataset's column layout (delimiter, header, label column; JSON, NULL for other formats and older
 * datasets), so an exported reproduce.py can load the file with NumPy the way the app read it.
 */
export const m0003RunOrigin: Migration = {
  name: 'run-origin',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'cli', 'external'));
      ALTER TABLE runs ADD COLUMN origin_source TEXT;
      ALTER TABLE datasets ADD COLUMN csv_layout TEXT;
    `);
  },
};
