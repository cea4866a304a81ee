/**
 * Schema migrations, one file per version, applied in order by `migrate` (db.ts) inside one transaction.
 * MIGRATIONS[i] brings user_version i to i + 1. Never edit a released migration; add the next one.
 */
import type { Migration } from './migration';
import { m0001Initial } from './0001-initial';
import { m0002Preprocessing } from './0002-preprocessing';
import { m0003RunOrigin } from './0003-run-origin';
import { m0004Embeddings } from './0004-embeddings';
import { m0005SilhouetteState } from './0005-silhouette-state';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [m0001Initial, m0002Preprocessing, m0003RunOrigin, m0004Embeddings, m0005SilhouetteState];
