import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/** What a dense layer's kernel does to the product: a bias added, relu applied, or both (the bias first). */
export type BiasActivation = "bias" | "relu" | "bias-relu";

/**
 * A bias (one value per column) added to a row-major matrix [rows,
 * columns], columns in fours, and/or relu applied, in place, in wasm SIMD:
 * the float32 numbers of an add and a relu kernel in one pass over the
 * product while it is still in cache. Kept out of the product's own
 * function: an epilogue there made V8 compile its inner loop slower.
 *
 * Parameters, all i32: matrix, bias (addresses in bytes; bias read only
 * with one), rows (at least 1), rowBytes, then the columns' bytes
 * [fromByte, toByte), in sixteens.
 */
export function biasActivationFunctions(kind: BiasActivation): ExportedFunction[] {
  return [{ name: "biasActivation", writer: writeBiasActivation(kind) }];
}

function writeBiasActivation(kind: BiasActivation): FunctionWriter {
  const f = new FunctionWriter(6);
  const [matrix, bias, rows, rowBytes, fromByte, toByte] = f.parameters() as [Local, Local, Local, Local, Local, Local];
  const column = f.local("i32");
  const pointer = f.local("i32");
  const row = f.local("i32");
  const biasVector = f.local("v128");
  const zero = f.local("v128");
  f.f32x4Constant(0).set(zero);
  f.get(fromByte).set(column);
  f.whileFits(column, 16, toByte, () => {
    if (kind !== "relu") f.get(bias).get(column).add().loadV128().set(biasVector);
    f.get(matrix).get(column).add().set(pointer);
    f.countDown(row, rows, () => {
      f.get(pointer).get(pointer).loadV128();
      if (kind !== "relu") f.get(biasVector).f32x4Add();
      if (kind !== "bias") f.get(zero).f32x4Max();
      f.storeV128();
      f.addLocal(pointer, rowBytes);
    });
    f.addConstant(column, 16);
  });
  return f;
}
