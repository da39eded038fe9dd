import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * The input's gradient from the gradient of the patch matrix, in wasm:
 * each output pixel's row of dP [pixels, kh·kw·channels (+ padding)] is
 * added back where its window read the (padded) input. Made for the few
 * channels of a first layer: one f32 at a time, the window's taps and
 * channels unrolled at constant offsets, so the module is specialized to
 * the window's shape in memory. Windows that overlap add up; pixels are
 * taken in order, so results are deterministic.
 *
 * Parameters, all i32 (addresses and strides in bytes): dP, dx (the padded
 * input's gradient, zeroed by the caller), images, outHeight, outWidth,
 * imageStride, rowStep (between output rows), pixelStep (between output
 * columns).
 */
export interface WindowLayout {
  /** Byte offset of each tap (kh, kw) from the window's first input. */
  tapOffsets: readonly number[];
  channels: number;
  /** Bytes of dP's row after the window's values. */
  rowPadding: number;
}

export function addPatchesBackFunctions(layout: WindowLayout): ExportedFunction[] {
  return [{ name: "addPatchesBack", writer: writeAddPatchesBack(layout) }];
}

function writeAddPatchesBack({ tapOffsets, channels, rowPadding }: WindowLayout): FunctionWriter {
  const f = new FunctionWriter(8);
  const [patchGradient, dx, images, outHeight, outWidth, imageStride, rowStep, pixelStep] = f.parameters() as [
    Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const rowBytes = tapOffsets.length * channels * 4 + rowPadding;
  const image = f.local("i32");
  const row = f.local("i32");
  const column = f.local("i32");
  const dxImage = f.local("i32");
  const dxRow = f.local("i32");
  const dxPixel = f.local("i32");
  const source = f.local("i32");

  f.get(patchGradient).set(source);
  f.get(dx).set(dxImage);
  f.countDown(image, images, () => {
    f.get(dxImage).set(dxRow);
    f.countDown(row, outHeight, () => {
      f.get(dxRow).set(dxPixel);
      f.countDown(column, outWidth, () => {
        tapOffsets.forEach((offset, tap) => {
          for (let c = 0; c < channels; c++) {
            const target = offset + c * 4;
            f.get(dxPixel).get(dxPixel).loadF32(target).get(source).loadF32((tap * channels + c) * 4).f32Add().storeF32(target);
          }
        });
        f.addConstant(source, rowBytes);
        f.addLocal(dxPixel, pixelStep);
      });
      f.addLocal(dxRow, rowStep);
    });
    f.addLocal(dxImage, imageStride);
  });
  return f;
}
