/** The browser-mode JSON codec: typed arrays and non-finite numbers survive a round trip. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/engine/rng';
import { base64ToBytes, bytesToBase64, parseWire, stringifyWire } from '../../src-shared/wire';

describe('wire codec', () => {
  it('base64 matches Node for every length remainder', () => {
    const rng = new Rng(1);
    for (const n of [0, 1, 2, 3, 4, 5, 100, 12_287, 12_288, 12_289, 50_001]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.nextInt(256));
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
    expect(() => base64ToBytes('ab$d')).toThrow('invalid base64 character at 2');
  });

  it('round-trips nested typed arrays (also views at an offset), NaN and infinities', () => {
    const backing = new Float64Array([9, 1.5, -2.25, Math.PI, 9]);
    const value = {
      centers: backing.subarray(1, 4),
      labels: Int32Array.from([-1, 0, 2 ** 31 - 1]),
      pixels: Uint8Array.from([0, 255, 7]),
      f32: Float32Array.from([0.1, NaN]),
      nested: [{ sil: Float64Array.from([NaN, -1, 1]) }, 'text', null, true],
      metrics: { ari: NaN, nmi: Infinity, ami: -Infinity, purity: 0.5, missing: null },
    };
    const text = stringifyWire(value);
    expect(JSON.parse(text)).toBeTruthy();
    const back = parseWire(text) as typeof value;
    expect(back.centers).toBeInstanceOf(Float64Array);
    expect(Array.from(back.centers)).toEqual([1.5, -2.25, Math.PI]);
    expect(back.labels).toEqual(value.labels);
    expect(back.pixels).toEqual(value.pixels);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(back.f32[1])).toBe(true);
    expect(back.nested[0]).toEqual({ sil: Float64Array.from([NaN, -1, 1]) });
    expect(back.nested.slice(1)).toEqual(['text', null, true]);
    expect(back.metrics).toEqual({ ari: NaN, nmi: Infinity, ami: -Infinity, purity: 0.5, missing: null });
  });

  it("gives the same frame with Node's native base64 (as main encodes) for views at an offset", () => {
    const backing = new Int32Array(Array.from({ length: 1_001 }, (_, i) => i * 7919 - 3_000_000));
    const frame = { type: 'reply', id: 3, reply: { ok: true, data: { matrix: backing.subarray(1, 1_000), f: new Float32Array([0.5, NaN]) } } };
    const nodeBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
    const text = stringifyWire(frame, nodeBase64);
    expect(text).toBe(stringifyWire(frame));
    expect((parseWire(text) as typeof frame).reply.data.matrix).toEqual(backing.subarray(1, 1_000));
  });

  it('rejects an unknown typed array name', () => {
    expect(() => parseWire('{"$typed":"BigInt64Array","base64":""}')).toThrow('unknown typed array BigInt64Array');
  });
});
