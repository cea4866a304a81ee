/**
 * Full-MNIST measurement of the K-means engine (70,000 × 784 uint8, scale 1/255), pure-TS kernel:
 * Lloyd k=10 k-means++ and mini-batch (defaults) for seeds 0–4; prints inertia, iterations/steps and seconds.
 * Compare with scikit-learn: /usr/bin/python3 scripts/measure-kmeans-sklearn.py
 *
 * Run: npx tsx scripts/measure-kmeans.ts [kmeans|minibatch]…
 */
import { loadMnist } from '../src-main/datasets/mnist';
import { fitKMeans } from '../src-main/engine/kmeans';
import type { Algorithm } from '../src-shared/model';

async function main(): Promise<void> {
  const X = loadMnist();
  const which = process.argv.slice(2);
  const algorithms = (which.length > 0 ? which : ['kmeans', 'minibatch']) as Algorithm[];
  for (const algorithm of algorithms) {
    const inertias: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const t0 = performance.now();
      const r = await fitKMeans(X, { k: 10, algorithm, seed });
      const s = (performance.now() - t0) / 1000;
      inertias.push(r.inertia);
      console.log(`${algorithm} seed ${seed}: inertia ${r.inertia.toFixed(1)}  nIter ${r.nIter}  ${s.toFixed(2)} s  (${((s / r.nIter) * 1000).toFixed(1)} ms/step)`);
    }
    const sorted = [...inertias].sort((a, b) => a - b);
    console.log(`${algorithm} median inertia ${sorted[2].toFixed(1)}`);
  }
}

void main();
