// Entry of the WASM kernels module (compiled by scripts/build-kernels.mjs).
export { silI16, silF32, silMasksU8, silStageU8 } from './silhouette';
export { assign } from './lloyd-dense';
export { assignSparse, assignSparseQ, assignSparseQScratch } from './lloyd-sparse';
export { assignBounded, assignElkan, assignYinyang } from './lloyd-bounded';
export { distances } from './lloyd-dense';
export { distancesSparse } from './lloyd-sparse';
export { featureSumsU8, rowNorms, rowStageU8 } from './lloyd-dense';
export { rowMasksU8, rowSumsU8 } from './lloyd-common';
export { labelledInertia } from './lloyd-dense';
export { zeroBytes } from './lloyd-common';
export { touchSinkValue } from './lloyd-sparse';
export { gramU8 } from './gram';
export { centerPairs } from './lloyd-bounded';
export { kppTrialsU8, kppProjectU8, kppBoundedTrialsU8, kppBoundedCommit, kppCommit, kppBasisU8, kppColumnRange, kppOffsetQ16, basisGershgorin } from './kpp';
export { knnF32 } from './knn';
export { mtRandInts } from './rng';
export { clusterSums, labelledDistances } from './cluster-stats';
export { centerShifts, mergeActorSums, miniBatchUpdate, sumsInertia, centersF32, centersI16, quantizeCenters, halfDistances } from './centers';
