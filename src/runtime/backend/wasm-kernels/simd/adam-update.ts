import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * One step of Adam over a variable in one pass, in wasm SIMD, with the
 * operations, their order and their roundings of tfjs's AdamOptimizer:
 *
 *   m' = m·β₁ + g·(1 − β₁)
 *   v' = v·β₂ + g²·(1 − β₂)
 *   w' = ((m' / d₁) / (√(v' / d₂) + ε))·(−η) + w      (dᵢ = 1 − βᵢᵗ)
 *
 * tfjs runs each as an operation of its own: fourteen passes through the
 * variable and as many new tensors. Parts of the variable are
 * independent, so threads can split them.
 *
 * Parameters, all i32: value, first moment, second moment, gradient, new
 * value, new first moment, new second moment (addresses in bytes); β₁,
 * 1 − β₁, β₂, 1 − β₂, d₁, d₂, ε and −η (the f32 bits); then the bytes
 * [fromByte, toByte) to update, in sixteens.
 */
export function adamUpdateFunctions(): ExportedFunction[] {
  return [{ name: "adamUpdate", writer: writeAdamUpdate() }];
}

const ADDRESSES = 7;
const SCALARS = 8;

function writeAdamUpdate(): FunctionWriter {
  const f = new FunctionWriter(ADDRESSES + SCALARS + 2);
  const parameters = f.parameters();
  const [value, first, second, gradient, newValue, newFirst, newSecond] = parameters.slice(0, ADDRESSES) as [Local, Local, Local, Local, Local, Local, Local];
  const [fromByte, toByte] = parameters.slice(ADDRESSES + SCALARS) as [Local, Local];
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, step] = parameters.slice(ADDRESSES, ADDRESSES + SCALARS).map((bits) => {
    const lanes = f.local("v128");
    f.get(bits).i32x4Splat().set(lanes);
    return lanes;
  }) as [Local, Local, Local, Local, Local, Local, Local, Local];
  const offset = f.local("i32");
  const [g, moment1, moment2] = [f.local("v128"), f.local("v128"), f.local("v128")];
  const at = (base: Local) => f.get(base).get(offset).add();

  f.get(fromByte).set(offset);
  f.whileTrue(
    () => f.get(offset).get(toByte).ltU(),
    () => {
      at(gradient).loadV128().set(g);
      at(first).loadV128().get(beta1).f32x4Mul();
      f.get(g).get(oneMinusBeta1).f32x4Mul().f32x4Add().set(moment1);
      at(newFirst).get(moment1).storeV128();
      at(second).loadV128().get(beta2).f32x4Mul();
      f.get(g).get(g).f32x4Mul().get(oneMinusBeta2).f32x4Mul().f32x4Add().set(moment2);
      at(newSecond).get(moment2).storeV128();
      at(newValue);
      f.get(moment1).get(correction1).f32x4Div();
      f.get(moment2).get(correction2).f32x4Div().f32x4Sqrt().get(epsilon).f32x4Add();
      f.f32x4Div().get(step).f32x4Mul();
      at(value).loadV128();
      f.f32x4Add().storeV128();
      f.addConstant(offset, 16);
    },
  );
  return f;
}
