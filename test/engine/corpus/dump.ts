/**
 * Writes the scikit-learn subset of the differential corpus to a folder, for scripts/reference/corpus_reference.py
 * (with --all: every dataset, for scripts/reference/exact_lloyd.py): one raw little-endian file per dataset
 * (row-major n × d, uint8 or float32) and index.json naming them.
 * Run: npx tsx test/engine/corpus/dump.ts DIR [--all]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './corpus';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: tsx test/engine/corpus/dump.ts DIR [--all]\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const all = process.argv.includes('--all');
const index = corpus()
  .filter((c) => all || c.sklearn)
  .map((c) => {
    const file = `${c.name}.bin`;
    const { data } = c.X;
    writeFileSync(join(dir, file), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { name: c.name, file, dtype: data instanceof Uint8Array ? 'uint8' : 'float32', n: c.X.n, d: c.X.d, scale: c.X.scale, ks: c.ks };
  });
writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
