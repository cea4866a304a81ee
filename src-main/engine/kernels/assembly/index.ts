// Entry of the WASM kernels module (compiled by scripts/build-kernels.mjs).
export { silI16, silF32 } from './silhouette';
export { assign, assignBounded, distances, rowNorms, labelledInertia } from './lloyd';
