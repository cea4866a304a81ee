// Entry of the WASM kernels module (compiled by scripts/build-kernels.mjs).
export { silI16, silF32, silMasksU8, silStageU8 } from './silhouette';
export { assign, assignBounded, assignElkan, distances, featureSumsU8, rowNorms, rowMasksU8, labelledInertia } from './lloyd';
