import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * One step of SGD with momentum over a variable in one pass, in wasm SIMD,
 * with the operations and roundings of tfjs's MomentumOptimizer:
 *
 *   a' = μ·a + g
 *   w' = c·a' + w              (c = −η)
 *   w' = c·(g + μ·a') + w      (Nesterov)
 *
 * where, with `decayed`, g is the gradient plus λ·w: an L2 penalty's
 * gradient 2α·w, added as tfjs's backward pass would add it.
 *
 * tfjs runs each as an operation of its own over the whole variable, four
 * or six passes through memory and as many new tensors. Parts of the
 * variable are independent, so threads can split them.
 *
 * Parameters, all i32: value, accumulation, gradient, newValue,
 * newAccumulation (addresses in bytes), μ, c and λ (the f32 bits; λ read
 * only when `decayed`), then the bytes [fromByte, toByte) to update, in
 * sixteens.
 */
export function momentumUpdateFunctions(nesterov: boolean, decayed: boolean): ExportedFunction[] {
  return [{ name: "momentumUpdate", writer: writeMomentumUpdate(nesterov, decayed) }];
}

function writeMomentumUpdate(nesterov: boolean, decayed: boolean): FunctionWriter {
  const f = new FunctionWriter(10);
  const [value, accumulation, gradient, newValue, newAccumulation, momentumBits, scaleBits, decayBits, fromByte, toByte] = f.parameters() as Local[] as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const offset = f.local("i32");
  const [momentum, scale, decay, accumulated, gradientVector] = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const at = (base: Local) => f.get(base).get(offset).add();

  f.get(momentumBits).i32x4Splat().set(momentum);
  f.get(scaleBits).i32x4Splat().set(scale);
  f.get(decayBits).i32x4Splat().set(decay);
  f.get(fromByte).set(offset);
  f.whileTrue(
    () => f.get(offset).get(toByte).ltU(),
    () => {
      at(gradient).loadV128();
      if (decayed) at(value).loadV128().get(decay).f32x4Mul().f32x4Add();
      f.set(gradientVector);
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
