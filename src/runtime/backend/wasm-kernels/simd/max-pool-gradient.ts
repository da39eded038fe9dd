import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * MaxPoolGrad of 2×2 windows of stride 2 lying inside the input, four
 * channels a v128: each window's dy goes to its first maximum in row-major
 * order, NaN and -Infinity never winning (the `cpu` kernel's rules), and
 * every other pixel of the window gets zero. The winner is found by
 * comparisons into lane masks, so there are no branches.
 *
 * Parameters, all i32 (addresses and strides in bytes): input, dy, dx,
 * outHeight, outWidth, vectors (channels / 4), rowStride (one input row),
 * imageStride (one input image), then the images [imageFrom, imageTo),
 * so that threads can split them. Input rows and columns the windows do
 * not cover are left as they are: the caller zeroes them.
 */
export function maxPoolGradientFunctions(): ExportedFunction[] {
  return [{ name: "maxPoolGradient2x2", writer: writeMaxPoolGradient() }];
}

function writeMaxPoolGradient(): FunctionWriter {
  const f = new FunctionWriter(10);
  const [input, dy, dx, outHeight, outWidth, vectors, rowStride, imageStride, imageFrom, imageTo] = f.parameters() as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const image = f.local("i32");
  const images = f.local("i32");
  const row = f.local("i32");
  const column = f.local("i32");
  const vector = f.local("i32");
  const imageStart = f.local("i32");
  const rowStart = f.local("i32");
  const topLeft = f.local("i32");
  const dyPointer = f.local("i32");
  const pixelBytes = f.local("i32");
  const toGradient = f.local("i32");
  // The window's four pixels (top left … bottom right), the running maximum, and lane masks: tl may win, and tr, bl, br beat what came before.
  const [tl, tr, bl, br] = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const [best, valid, c1, c2, c3] = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const gradient = f.local("v128");

  const load = (pointer: () => void, into: Local) => {
    pointer();
    f.loadV128().set(into);
  };
  /** Stores `value()` in dx at the input address `pointer()` leaves. */
  const storeGradient = (pointer: () => void, value: () => void) => {
    pointer();
    f.get(toGradient).add();
    value();
    f.storeV128();
  };
  const at = (extra: Local[]) => () => {
    f.get(topLeft);
    for (const local of extra) f.get(local).add();
  };

  f.get(vectors).i32(16).mul().set(pixelBytes);
  f.get(dx).get(input).sub().set(toGradient);
  f.get(imageTo).get(imageFrom).sub().set(images);
  f.get(input).get(imageFrom).get(imageStride).mul().add().set(imageStart);
  f.get(dy).get(imageFrom).get(outHeight).mul().get(outWidth).mul().get(pixelBytes).mul().add().set(dyPointer);
  f.countDown(image, images, () => {
    f.get(imageStart).set(rowStart);
    f.countDown(row, outHeight, () => {
      f.get(rowStart).set(topLeft);
      f.countDown(column, outWidth, () => {
        f.countDown(vector, vectors, () => {
          load(at([]), tl);
          load(at([pixelBytes]), tr);
          load(at([rowStride]), bl);
          load(at([rowStride, pixelBytes]), br);
          // tl may win unless it is NaN or -Infinity.
          f.get(tl).f32x4Constant(Number.NEGATIVE_INFINITY).f32x4Gt().set(valid);
          f.get(tl).f32x4Constant(Number.NEGATIVE_INFINITY).get(valid).bitselect().set(best);
          f.get(tr).get(best).f32x4Gt().set(c1);
          f.get(tr).get(best).get(c1).bitselect().set(best);
          f.get(bl).get(best).f32x4Gt().set(c2);
          f.get(bl).get(best).get(c2).bitselect().set(best);
          f.get(br).get(best).f32x4Gt().set(c3);
          f.get(dyPointer).loadV128().set(gradient);
          // Each later winner overrides the earlier ones.
          storeGradient(at([rowStride, pixelBytes]), () => f.get(gradient).get(c3).and());
          storeGradient(at([rowStride]), () => f.get(gradient).get(c2).and().get(c3).andNot());
          storeGradient(at([pixelBytes]), () => f.get(gradient).get(c1).and().get(c2).get(c3).or().andNot());
          storeGradient(at([]), () => f.get(gradient).get(valid).and().get(c1).get(c2).or().get(c3).or().andNot());
          f.addConstant(topLeft, 16);
          f.addConstant(dyPointer, 16);
        });
        // The loop moved one pixel on; windows are two apart.
        f.addLocal(topLeft, pixelBytes);
      });
      f.addLocal(rowStart, rowStride).addLocal(rowStart, rowStride);
    });
    f.addLocal(imageStart, imageStride);
  });
  return f;
}
