import type { Migration } from './migration';

/**
 * A run is `done` as soon as its result is saved; its silhouette follows. `silhouette_state` records where it is:
 * 'pending' (being computed), 'final', 'failed' (with `silhouette_error`). NULL for runs saved before: their
 * silhouette came with the result (final, or none for mode 'none').
 */
export const m0005SilhouetteState: Migration = {
  name: 'silhouette-state',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN silhouette_state TEXT CHECK (silhouette_state IN ('pending', 'final', 'failed'));
      ALTER TABLE runs ADD COLUMN silhouette_error TEXT;
    `);
  },
};
