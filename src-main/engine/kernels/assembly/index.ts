// Entry of the WASM kernels module (compiled by scripts/build-kernels.mjs).
export { silI16, silF32, silMasksU8, silStageU8 } from './silhouette';
export { assign, assignSparse, assignBounded, assignElkan, distances, distancesSparse, featureSumsU8, rowNorms, rowMasksU8, rowSumsU8, labelledInertia, zeroBytes, touchSinkValue } from './lloyd';
export { gramU8 } from './gram';
