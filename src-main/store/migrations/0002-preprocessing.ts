import type { Migration } from './migration';

/**
 * Per-run preprocessing: the mode on `runs` (older runs get the default they were computed with: 'scale' on
 * datasets with a scale ≠ 1, i.e. uint8 images in [0, 1] units, else 'none') and the per-feature transform
 * of a finished run on `run_arrays` (NULL = identity, as for every older run).
 */
export const m0002Preprocessing: Migration = {
  name: 'preprocessing',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN preprocessing TEXT NOT NULL DEFAULT 'none'
        CHECK (preprocessing IN ('none', 'scale', 'standardize'));
      UPDATE runs SET preprocessing = 'scale' WHERE dataset_id IN (SELECT id FROM datasets WHERE scale != 1);
      ALTER TABLE run_arrays ADD COLUMN transform_offset BLOB;
      ALTER TABLE run_arrays ADD COLUMN transform_factor BLOB;
    `);
  },
};
