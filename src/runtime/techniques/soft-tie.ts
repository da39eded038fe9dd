import * as tf from "@tensorflow/tfjs";
import { operandKey, operandShape, operandText, operandValue, type ParamOperand } from "../model/ties.js";
import type { Technique } from "../train/technique.js";
import { resolveParams } from "./parameters.js";

/**
 * §7.9 soft sharing: two parameters stay separate variables, pulled
 * together by weight·‖A − B‖² (either side may be `transpose(P)`).
 */
export function softTie(a: ParamOperand, b: ParamOperand, options: { weight: number }): Technique {
  const { weight } = options;
  const label = `soft_tie(${operandText(a)}, ${operandText(b)}, weight: ${weight})`;
  let left: tf.Variable | undefined;
  let right: tf.Variable | undefined;
  return {
    label,
    attach({ model }) {
      [left, right] = resolveParams(model, [operandKey(a), operandKey(b)], "soft_tie");
      const [shapeA, shapeB] = [operandShape(a, left!.shape).join("×"), operandShape(b, right!.shape).join("×")];
      if (shapeA !== shapeB) throw new Error(`${label}: ${operandText(a)} is ${shapeA} but ${operandText(b)} is ${shapeB}`);
    },
    parameterPenalty: true,
    lossTerm: () => tf.mul(weight, tf.sum(tf.square(tf.sub(operandValue(a, left!), operandValue(b, right!))))),
  };
}
