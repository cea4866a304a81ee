/** Typed arrays ⇄ SQLite BLOBs (little-endian bytes of the array, as every supported platform is). */

type Typed = Uint8Array | Int32Array | Float32Array | Float64Array;

/** A Buffer view of the array's bytes (no copy). */
export function toBlob(a: Typed): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Copies a BLOB into a fresh, aligned typed array. */
export function fromBlob<T extends Typed>(blob: Uint8Array, ctor: { new (length: number): T; BYTES_PER_ELEMENT: number }): T {
  if (blob.byteLength % ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`corrupt BLOB: ${blob.byteLength} bytes is not a whole number of ${ctor.BYTES_PER_ELEMENT}-byte values`);
  }
  const out = new ctor(blob.byteLength / ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(blob);
  return out;
}
