import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * A convolution's output as each output pixel's patch times the filter,
 * in wasm SIMD, straight from the (padded) input, with no patch matrix:
 *
 *   y[pixel, co] = activation(bias[co] + Σ_tap x[pixel's input + offset(tap)] · W[tap, co])
 *
 * with taps (kh, kw, ci) in the filter's own order, so W [kh, kw, ci, co]
 * is read as stored: no packing, which XNNPACK does afresh for every
 * product since weights change at every step. Two neighbouring output
 * pixels at a time keep their sums for up to 16 output channels in v128
 * registers over all taps and share each load of W; a few input channels
 * at a time are unrolled, their loads at constant offsets.
 *
 * Specialized to `inChannels` (see {@link unrolledChannels}), `outChannels`
 * (in fours), a bias and relu.
 * Parameters, all i32 (addresses and strides in bytes): x, filter, bias
 * (ignored without one), y, windowOffsets (an i32 per group of unrolled
 * taps: their first channel's offset from the pixel's first input),
 * windowTaps (how many groups), outHeight, outWidth, imageStride, rowStep
 * (between output rows), pixelStep (between output columns), then the
 * images [imageFrom, imageTo) to compute, so that threads can split them.
 */
export interface PatchProductShape {
  inChannels: number;
  outChannels: number;
  bias: boolean;
  relu: boolean;
}

/**
 * Input channels unrolled into one group of taps: up to four. Longer
 * bodies ran slower on V8 (measured: 16 unrolled channels took twice the
 * time of four), and XNNPACK's convolution beats this kernel from about 16
 * input channels on, where it is not used.
 */
export function unrolledChannels(inChannels: number): number {
  return [4, 3, 2, 1].find((count) => inChannels % count === 0)!;
}

export function patchProductFunctions(shape: PatchProductShape): ExportedFunction[] {
  if (shape.outChannels % 4 !== 0) throw new Error(`the SIMD patch product needs output channels in fours, not ${shape.outChannels}`);
  return [{ name: "patchProduct", writer: writePatchProduct(shape) }];
}

/** v128 registers per pixel: 16 output channels. */
const VECTORS_PER_PASS = 4;

function writePatchProduct({ inChannels, outChannels, bias, relu }: PatchProductShape): FunctionWriter {
  const f = new FunctionWriter(13);
  const [x, filter, biasAddress, y, windowOffsets, windowTaps, outHeight, outWidth, imageStride, rowStep, pixelStep, imageFrom, imageTo] =
    f.parameters() as [Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const unrolled = unrolledChannels(inChannels);
  const pixelBytes = outChannels * 4;
  const groupBytes = unrolled * pixelBytes;
  const image = f.local("i32");
  const images = f.local("i32");
  const row = f.local("i32");
  const column = f.local("i32");
  const xImage = f.local("i32");
  const xRow = f.local("i32");
  const firstPixel = f.local("i32");
  const yPixel = f.local("i32");
  const group = f.local("i32");
  const offsetPointer = f.local("i32");
  const weights = f.local("i32");
  const inputs = [f.local("i32"), f.local("i32")];
  const splats = [f.local("v128"), f.local("v128")];
  const sums = [0, 1].map(() => Array.from({ length: VECTORS_PER_PASS }, () => f.local("v128")));
  const weightVector = f.local("v128");

  /** `pixels` output pixels from firstPixel on, output channels from `firstVector`·4 on. */
  const pass = (pixels: number, firstVector: number, vectorCount: number) => {
    const channelBytes = firstVector * 16;
    for (let p = 0; p < pixels; p++) {
      for (let v = 0; v < vectorCount; v++) {
        if (bias) f.get(biasAddress).loadV128(channelBytes + v * 16);
        else f.f32x4Constant(0);
        f.set(sums[p]![v]!);
      }
    }
    f.get(windowOffsets).set(offsetPointer);
    f.get(filter).i32(channelBytes).add().set(weights);
    f.countDown(group, windowTaps, () => {
      f.get(firstPixel).get(offsetPointer).loadI32().add().set(inputs[0]!);
      if (pixels > 1) f.get(inputs[0]!).get(pixelStep).add().set(inputs[1]!);
      for (let c = 0; c < unrolled; c++) {
        for (let p = 0; p < pixels; p++) f.get(inputs[p]!).loadSplat(c * 4).set(splats[p]!);
        for (let v = 0; v < vectorCount; v++) {
          f.get(weights).loadV128(c * pixelBytes + v * 16).set(weightVector);
          for (let p = 0; p < pixels; p++) f.get(sums[p]![v]!).get(splats[p]!).get(weightVector).f32x4Mul().f32x4Add().set(sums[p]![v]!);
        }
      }
      f.addConstant(offsetPointer, 4);
      f.addConstant(weights, groupBytes);
    });
    for (let p = 0; p < pixels; p++) {
      for (let v = 0; v < vectorCount; v++) {
        f.get(yPixel).get(sums[p]![v]!);
        if (relu) f.f32x4Constant(0).f32x4Max();
        f.storeV128(p * pixelBytes + channelBytes + v * 16);
      }
    }
  };
  const passes = (pixels: number) => {
    for (let first = 0; first < outChannels / 4; first += VECTORS_PER_PASS) pass(pixels, first, Math.min(VECTORS_PER_PASS, outChannels / 4 - first));
    f.get(firstPixel).get(pixelStep);
    if (pixels > 1) f.get(pixelStep).add();
    f.add().set(firstPixel);
    f.addConstant(yPixel, pixels * pixelBytes);
  };

  f.get(imageTo).get(imageFrom).sub().set(images);
  f.get(x).get(imageFrom).get(imageStride).mul().add().set(xImage);
  f.get(y).get(imageFrom).get(outHeight).mul().get(outWidth).mul().i32(pixelBytes).mul().add().set(yPixel);
  f.countDown(image, images, () => {
    f.get(xImage).set(xRow);
    f.countDown(row, outHeight, () => {
      f.get(xRow).set(firstPixel);
      f.get(outWidth).set(column);
      f.whileTrue(
        () => f.i32(2).get(column).leU(),
        () => {
          passes(2);
          f.get(column).i32(2).sub().set(column);
        },
      );
      f.when(
        () => f.get(column),
        () => passes(1),
      );
      f.addLocal(xRow, rowStep);
    });
    f.addLocal(xImage, imageStride);
  });
  return f;
}
