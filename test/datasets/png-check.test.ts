/** The PNG structure check: exact image-data sizes (plain and Adam7-interlaced), and what it refuses. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { pngRawLength, pngStructureProblem } from '../../src-main/datasets/png-check';
import { pngDeclaring } from './helpers';

const png = (w: number, h: number, colorType: number, interlaced: boolean, raw: Uint8Array): Uint8Array => pngDeclaring(w, h, raw, { colorType, interlaced });

describe('PNG structure check', () => {
  it('sizes match what pngjs decodes, plain and interlaced, for odd sizes', () => {
    for (const [w, h, colorType, channels] of [[13, 7, 0, 1], [5, 9, 2, 3], [1, 1, 6, 4], [17, 3, 4, 2]] as const) {
      for (const interlaced of [false, true]) {
        const len = pngRawLength(w, h, 8 * channels, interlaced);
        const raw = new Uint8Array(len); // filter byte 0 on every row; pixels 0
        const file = png(w, h, colorType, interlaced, raw);
        expect(pngStructureProblem(file), `${w}×${h} ct ${colorType} interlaced ${interlaced}`).toBeNull();
        const decoded = PNG.sync.read(Buffer.from(file));
        expect([decoded.width, decoded.height]).toEqual([w, h]);
        // one byte short or one byte over is refused
        expect(pngStructureProblem(png(w, h, colorType, interlaced, raw.subarray(0, len - 1)))).toMatch(/holds \d+ of the \d+ bytes/);
        expect(pngStructureProblem(png(w, h, colorType, interlaced, new Uint8Array(len + 1)))).toMatch(/holds more image data/);
      }
    }
    // Adam7 on 8 × 8 gray: passes of 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels, plus a filter byte per row
    expect(pngRawLength(8, 8, 8, true)).toBe(2 + 2 + 3 + 6 + 10 + 20 + 36);
  });

  it('refuses a file cut short, a missing IEND, and too little data for the declared size', () => {
    const good = png(64, 64, 0, false, new Uint8Array(pngRawLength(64, 64, 8, false)));
    expect(pngStructureProblem(good.subarray(0, good.length - 12))).toBe('is truncated (no IEND chunk)');
    expect(pngStructureProblem(good.subarray(0, 60))).toMatch(/^is truncated \(its IDAT chunk needs \d+ bytes/);
    expect(pngStructureProblem(png(8192, 8192, 0, false, new Uint8Array(20)))).toMatch(/declares 8192×8192 pixels but carries only \d+ bytes/);
  });
});
