import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * A convolution's filter gradient as a sum over output pixels, in wasm SIMD:
 *
 *   dW[tap, co] += x[pixel's input + offset(tap)] · dy[pixel, co]
 *
 * for every tap (kh, kw, ci) of the filter, whose input value at a pixel
 * lies a fixed `offset(tap)` bytes from the pixel's first one (the input is
 * padded beforehand, so no tap falls outside it). Two taps at a time keep
 * their sums for up to 16 output channels in v128 registers over a whole
 * image, so dy is read once per pair of taps from a cache that holds the
 * image, and the sums meet memory once an image. Summed in the same order
 * every time: results are deterministic.
 *
 * XNNPACK computes this as a convolution with dy as the filter, which it
 * packs afresh each step; with one input channel (an image model's first
 * layer) that convolution has a 26×26 filter and a 3×3 output, a shape it
 * runs at a tenth of its speed on others.
 *
 * Each tap's sums are its own, so threads can split the taps between them.
 *
 * Parameters, all i32 (addresses and strides in bytes): x, dy, dW (zeroed by
 * the caller), tapOffsets (an i32 per tap), images, outHeight, outWidth,
 * imageStride, rowStep (between output rows), pixelStep (between output
 * columns), then the taps [tapFrom, tapTo) to sum.
 */
export function filterGradientFunctions(outChannels: number): ExportedFunction[] {
  if (outChannels % 4 !== 0) throw new Error(`the SIMD filter gradient needs output channels in fours, not ${outChannels}`);
  return [{ name: "filterGradient", writer: writeFilterGradient(outChannels) }];
}

/** v128 registers a pass keeps per tap: 16 output channels. */
const VECTORS_PER_PASS = 4;
/** Taps a pass sums at once, sharing each load of dy: two taps of four vectors, four dy lanes and two splats fit x64's 16 registers. */
export const TAPS_PER_PASS = 2;

function writeFilterGradient(outChannels: number): FunctionWriter {
  const f = new FunctionWriter(12);
  const [x, dy, dw, tapOffsets, images, outHeight, outWidth, imageStride, rowStep, pixelStep, tapFrom, tapTo] = f.parameters() as [
    Local,
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const pixelBytes = outChannels * 4;
  const image = f.local("i32");
  const tap = f.local("i32");
  const xImage = f.local("i32");
  const dyImage = f.local("i32");
  const dyImageStride = f.local("i32");
  const row = f.local("i32");
  const column = f.local("i32");
  const xRow = f.local("i32");
  const dyPixel = f.local("i32");
  const dwTap = f.local("i32");
  const tapPointers = Array.from({ length: TAPS_PER_PASS }, () => f.local("i32"));
  const tapInputs = Array.from({ length: TAPS_PER_PASS }, () => f.local("v128"));
  const sums = Array.from({ length: TAPS_PER_PASS }, () => Array.from({ length: VECTORS_PER_PASS }, () => f.local("v128")));
  const dyVector = f.local("v128");

  /** One pass: `tapCount` taps from `tap` on, the output channels from `firstVector`·4 on, over one image. */
  const pass = (tapCount: number, firstVector: number, vectorCount: number) => {
    const channelBytes = firstVector * 16;
    f.get(dw).get(tap).i32(pixelBytes).mul().add().i32(channelBytes).add().set(dwTap);
    for (let t = 0; t < tapCount; t++) {
      for (let v = 0; v < vectorCount; v++) f.get(dwTap).loadV128(t * pixelBytes + v * 16).set(sums[t]![v]!);
    }
    f.get(xImage).set(xRow);
    f.get(dyImage).i32(channelBytes).add().set(dyPixel);
    f.countDown(row, outHeight, () => {
      for (let t = 0; t < tapCount; t++) f.get(xRow).get(tapOffsets).get(tap).i32(4).mul().add().loadI32(t * 4).add().set(tapPointers[t]!);
      f.countDown(column, outWidth, () => {
        for (let t = 0; t < tapCount; t++) f.get(tapPointers[t]!).loadSplat().set(tapInputs[t]!);
        for (let v = 0; v < vectorCount; v++) {
          f.get(dyPixel).loadV128(v * 16).set(dyVector);
          for (let t = 0; t < tapCount; t++) f.get(sums[t]![v]!).get(tapInputs[t]!).get(dyVector).f32x4Mul().f32x4Add().set(sums[t]![v]!);
        }
        for (let t = 0; t < tapCount; t++) f.addLocal(tapPointers[t]!, pixelStep);
        f.addConstant(dyPixel, pixelBytes);
      });
      f.addLocal(xRow, rowStep);
    });
    for (let t = 0; t < tapCount; t++) {
      for (let v = 0; v < vectorCount; v++) f.get(dwTap).get(sums[t]![v]!).storeV128(t * pixelBytes + v * 16);
    }
  };
  /** Every output channel for `tapCount` taps from `tap` on. */
  const passes = (tapCount: number) => {
    for (let first = 0; first < outChannels / 4; first += VECTORS_PER_PASS) pass(tapCount, first, Math.min(VECTORS_PER_PASS, outChannels / 4 - first));
  };

  f.get(outHeight).get(outWidth).mul().i32(pixelBytes).mul().set(dyImageStride);
  f.get(x).set(xImage);
  f.get(dy).set(dyImage);
  f.countDown(image, images, () => {
    f.get(tapFrom).set(tap);
    f.whileFits(tap, TAPS_PER_PASS, tapTo, () => {
      passes(TAPS_PER_PASS);
      f.addConstant(tap, TAPS_PER_PASS);
    });
    // An odd tap count leaves one; TAPS_PER_PASS is 2.
    f.when(
      () => f.get(tap).get(tapTo).ltU(),
      () => passes(1),
    );
    f.addLocal(xImage, imageStride);
    f.addLocal(dyImage, dyImageStride);
  });
  return f;
}
