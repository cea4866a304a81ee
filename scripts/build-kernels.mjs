// Compiles the WASM kernels (src-main/engine/kernels/assembly) when they exist. Filled in by the kernels work.
