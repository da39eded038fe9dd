import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * One step of SGD with momentum over a variable in one pass, in wasm SIMD,
 * with the operations and roundings of tfjs's MomentumOptimizer:
 *
 *   a' = μ·a + g
 *   w' = c·a' + w              (c = −η)
 *   w' = c·(g + μ·a') + w      (Nesterov)
 *
 * tfjs runs each as an operation of its own over the whole variable, four
 * or six passes through memory and as many new tensors. Parts of the
 * variable are independent, so threads can split them.
 *
 * Parameters, all i32: value, accumulation, gradient, newValue,
 * newAccumulation (addresses in bytes), μ and c (the f32 bits), then the
 * bytes [fromByte, toByte) to update, in sixteens.
 */
export function momentumUpdateFunctions(nesterov: boolean): ExportedFunction[] {
  return [{ name: "momentumUpdate", writer: writeMomentumUpdate(nesterov) }];
}

function writeMomentumUpdate(nesterov: boolean): FunctionWriter {
  const f = new FunctionWriter(9);
  const [value, accumulation, gradient, newValue, newAccumulation, momentumBits, scaleBits, fromByte, toByte] = f.parameters() as Local[] as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const offset = f.local("i32");
  const [momentum, scale, accumulated, gradientVector] = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const at = (base: Local) => f.get(base).get(offset).add();

  f.get(momentumBits).i32x4Splat().set(momentum);
  f.get(scaleBits).i32x4Splat().set(scale);
  f.get(fromByte).set(offset);
  f.whileTrue(
    () => f.get(offset).get(toByte).ltU(),
    () => {
      at(gradient).loadV128().set(gradientVector);
      f.get(momentum);
      at(accumulation).loadV128();
      f.f32x4Mul().get(gradientVector).f32x4Add().set(accumulated);
      at(newAccumulation).get(accumulated).storeV128();
      at(newValue).get(scale);
      if (nesterov) f.get(gradientVector).get(accumulated).get(momentum).f32x4Mul().f32x4Add();
      else f.get(accumulated);
      f.f32x4Mul();
      at(value).loadV128();
      f.f32x4Add().storeV128();
      f.addConstant(offset, 16);
    },
  );
  return f;
}
