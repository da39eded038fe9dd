import * as tf from "@tensorflow/tfjs";
import { LOSS, taskMetricKey } from "../../shared/metric-names.js";
import type { Model } from "../model/model.js";
import { isFusedMomentum } from "./fused-momentum.js";
import { fromCleanPass } from "./input-gradient.js";
import { decayByName, decayTerms, penaltiesValue, withDecayGradients, type WeightDecay } from "./squared-norm-penalties.js";
import type { Task } from "./tasks.js";
import type { Batch, ForwardPass, InputPerturbation, StepInfo, Technique } from "./technique.js";

/** What one step measured: the objective and the sums of per-example task values, for the epoch's means. */
export interface StepResult {
  objective: number;
  examples: number;
  sums: Map<string, number>;
}

export interface StepSetup {
  model: Model;
  tasks: readonly Task[];
  techniques: readonly Technique[];
  optimizer: tf.Optimizer;
  decoupledDecay?: number;
  clipNorm?: number;
}

/**
 * One gradient step: transform the batch, forward in training mode, the
 * weighted task losses plus every technique's term, the optimizer update,
 * then the techniques' after-step actions (projections, decay).
 */
export function trainStep(setup: StepSetup, rawBatch: Batch, step: StepInfo): StepResult {
  const measured = new Map<string, tf.Tensor>();
  const objective = tf.tidy(() => {
    const { value, grads, decay } = stepGradients(setup, rawBatch, step, measured, { foldSquaredNorms: true });
    applyUpdate(setup, grads, step, decay);
    return value;
  });
  for (const technique of setup.techniques) technique.afterStep?.(setup.model, step);

  const sums = new Map<string, number>();
  for (const [name, tensor] of measured) sums.set(name, tensor.dataSync()[0] ?? 0);
  tf.dispose([...measured.values()]);
  const result = { objective: objective.dataSync()[0] ?? Number.NaN, examples: rawBatch.x.shape[0] ?? 0, sums };
  objective.dispose();
  return result;
}

/** What a step trains: the model's parameters and the techniques' own variables, in a fixed order. */
export function trainedVariables(setup: StepSetup): tf.Variable[] {
  return [...setup.model.trainableParams(), ...setup.techniques.flatMap((t) => t.variables?.() ?? [])];
}

/** The names under which a step measures each task's loss and metrics (sums over the batch), in a fixed order. */
export function measuredNames(tasks: readonly Task[]): string[] {
  return tasks.flatMap((task) => [taskMetricKey(task.name, LOSS), ...task.metrics.map((metric) => taskMetricKey(task.name, metric.name))]);
}

/** The objective on a batch, its gradient, and the weight decay the update is to add to that gradient. */
export interface StepGradients {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
  /** λ·w terms of L2 penalties whose gradient `grads` leaves out: applyUpdate adds them. */
  decay: readonly WeightDecay[];
}

/**
 * The objective on a batch and its gradient with respect to every trained
 * variable; inside `tf.tidy`. Each task's per-example sums go to `measured`,
 * kept beyond the tidy. With `foldSquaredNorms`, L2 penalties are left off
 * the tape for the update to add (squared-norm-penalties.ts).
 */
export function stepGradients(
  setup: StepSetup,
  rawBatch: Batch,
  step: StepInfo,
  measured: Map<string, tf.Tensor>,
  { foldSquaredNorms = false } = {},
): StepGradients {
  let batch = rawBatch;
  for (const technique of setup.techniques) if (technique.transformBatch) batch = technique.transformBatch(batch, step);
  const perturbations = sharedBackwardPerturbations(setup.techniques);
  if (perturbations) return { ...perturbedStepGradients(setup, batch, step, measured, perturbations), decay: [] };
  const folded = foldSquaredNorms ? foldableSquaredNorms(setup) : [];
  const variables = trainedVariables(setup);
  const { value, grads } = tf.variableGrads(() => {
    const pass = trainingPass(setup, batch, step, measured);
    let total: tf.Scalar = pass.taskLoss;
    for (const technique of setup.techniques) {
      if (technique.lossTerm && !folded.includes(technique)) total = tf.add(total, technique.lossTerm(pass, step));
    }
    return total;
  }, variables);
  if (folded.length === 0) return { value, grads, decay: [] };
  const penalties = folded.map((t) => t.squaredNormPenalty!());
  return { value: tf.add(value, penaltiesValue(penalties)), grads, decay: decayTerms(penalties, variables) };
}

/** The techniques whose L2 penalty a step leaves off the tape: none where the clean pass's backward pass gives an input gradient too. */
function foldableSquaredNorms(setup: StepSetup): Technique[] {
  return sharedBackwardPerturbations(setup.techniques) ? [] : setup.techniques.filter((t) => t.squaredNormPenalty);
}

/** The λ·w terms that a step folding L2 penalties leaves to the update: the same for every batch, so replicas agree on them. */
export function foldedDecay(setup: StepSetup): WeightDecay[] {
  return decayTerms(
    foldableSquaredNorms(setup).map((t) => t.squaredNormPenalty!()),
    trainedVariables(setup),
  );
}

/**
 * The perturbations whose input gradient the clean pass's own backward pass
 * can give: when the rest of the objective is the weighted task loss L(x)
 * of the variables themselves plus penalties on them (no other term, task
 * weighting or perturbed parameter), the clean part (1 − Σw)·L(x) + R(θ)
 * has input gradient (1 − Σw)·∇ₓL. Undefined when that does not hold (or
 * no technique perturbs inputs).
 */
function sharedBackwardPerturbations(techniques: readonly Technique[]): InputPerturbation[] | undefined {
  const perturbations = techniques.flatMap((t) => (t.inputPerturbation ? [t.inputPerturbation] : []));
  const others = techniques.filter((t) => !t.inputPerturbation);
  if (perturbations.length === 0 || others.some((t) => (t.lossTerm && !t.parameterPenalty) || t.weighTasks || t.perturbParams)) return undefined;
  return cleanShare(perturbations) > 0 ? perturbations : undefined;
}

/** 1 − Σw: the clean loss's share of the objective. */
function cleanShare(perturbations: readonly InputPerturbation[]): number {
  return perturbations.reduce((share, p) => share - p.weight, 1);
}

/**
 * (1 − Σw)·L(x) + R(θ) + Σ w·L(x̃) in two backward passes rather than
 * three: the clean one differentiates with respect to the input too, which
 * gives ∇ₓL for the perturbations; the perturbed inputs, constants, then
 * get a tape of their own.
 */
function perturbedStepGradients(
  setup: StepSetup,
  batch: Batch,
  step: StepInfo,
  measured: Map<string, tf.Tensor>,
  perturbations: readonly InputPerturbation[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const variables = trainedVariables(setup);
  const share = cleanShare(perturbations);
  let pass: ForwardPass | undefined;
  const clean = tf.engine().gradients(
    () => {
      pass = trainingPass(setup, batch, step, measured);
      let total = tf.mul<tf.Scalar>(share, pass.taskLoss);
      for (const technique of setup.techniques) if (technique.parameterPenalty) total = tf.add(total, technique.lossTerm!(pass, step));
      return total;
    },
    [batch.x, ...variables],
    undefined,
    true,
  );
  const [scaledInputGradient, ...cleanGrads] = clean.grads;
  const inputGradient = tf.div(scaledInputGradient!, share);
  const lossAt = (x: tf.Tensor) => pass!.lossOf(pass!.forward(x));
  const gradient = fromCleanPass(batch.x, () => inputGradient);
  const perturbed = perturbations.map((p) => p.perturb(lossAt, batch.x, gradient, step));
  const adversarial = tf.variableGrads(() => tf.addN(perturbations.map((p, i) => tf.mul(p.weight, lossAt(perturbed[i]!)))) as tf.Scalar, variables);
  const grads: tf.NamedTensorMap = {};
  variables.forEach((variable, i) => {
    const parts = [cleanGrads[i], adversarial.grads[variable.name]].filter((g): g is tf.Tensor => g !== undefined);
    if (parts.length > 0) grads[variable.name] = parts.length === 1 ? parts[0]! : tf.add(parts[0]!, parts[1]!);
  });
  return { value: tf.add(clean.value, adversarial.value), grads };
}

/** The forward pass in training mode over the (transformed) batch, its task losses, and what loss terms may ask of it; inside a tape. */
function trainingPass(setup: StepSetup, batch: Batch, step: StepInfo, measured: Map<string, tf.Tensor>): ForwardPass {
  const { model, tasks, techniques } = setup;
  const params = perturbedParams(techniques, model, step);
  const { output, layers } = model.forward(batch.x, { training: true, seed: step.seed, ...(params && { params }) });
  const taskLosses = new Map<string, tf.Scalar>();
  for (const task of tasks) {
    const prediction = layers.get(task.output)!;
    const target = batch.targets[task.target]!;
    const perExample = task.loss(prediction, target);
    taskLosses.set(task.name, tf.mean(perExample));
    measured.set(taskMetricKey(task.name, LOSS), tf.keep(tf.sum(perExample)));
    for (const metric of task.metrics) measured.set(taskMetricKey(task.name, metric.name), tf.keep(tf.sum(metric.perExample(prediction, target))));
  }
  const weigh = techniques.find((t) => t.weighTasks);
  return {
    batch,
    model,
    tasks,
    output,
    layers,
    taskLosses,
    taskLoss: weigh ? weigh.weighTasks!(taskLosses, tasks) : weightedSum(taskLosses, tasks),
    forward: (x, options = {}) =>
      model.forward(x, { training: options.training ?? true, seed: options.seed ?? step.seed, updateMovingStats: false, ...(params && { params }) }).layers,
    lossOf: (other) => weightedSum(new Map(tasks.map((task) => [task.name, tf.mean(task.loss(other.get(task.output)!, batch.targets[task.target]!))])), tasks),
    // A gradient taken inside the step's tape sees the operations already on it: the clean pass from batch.x to `of`.
    inputGradient: (of) => tf.grad(() => of)(batch.x),
  };
}

/**
 * The optimizer's update with these gradients plus `decay`'s λ·w (clipped
 * when asked), after AdamW's decay; inside `tf.tidy`. SGD with momentum
 * takes each λ into its one-pass update.
 */
export function applyUpdate(setup: StepSetup, grads: tf.NamedTensorMap, step: StepInfo, decay: readonly WeightDecay[] = []): void {
  const { optimizer, clipNorm, decoupledDecay } = setup;
  const fusedDecay = clipNorm === undefined && !decoupledDecay ? decayByName(decay) : undefined;
  if (isFusedMomentum(optimizer) && fusedDecay) {
    const withEveryDecayed = { ...grads };
    for (const { variable } of decay) withEveryDecayed[variable.name] ??= tf.zerosLike(variable);
    optimizer.applyGradients(withEveryDecayed, fusedDecay);
    return;
  }
  // The decay's gradient is taken at the weights of the forward pass, before AdamW moves them.
  const full = decay.length > 0 ? withDecayGradients(grads, decay) : grads;
  // AdamW decays the weights the gradient was taken at (Loshchilov & Hutter, algorithm 2): θ ← θ − η·λ·θ − Δ.
  if (decoupledDecay) decayWeights(setup.model, step.learningRate * decoupledDecay);
  optimizer.applyGradients(clipNorm === undefined ? full : clipByGlobalNorm(full, clipNorm));
}

/** Σ weightᵢ·Lᵢ over the tasks; a weight of 1 and a single term need no op (the value is the same). */
function weightedSum(losses: ReadonlyMap<string, tf.Scalar>, tasks: readonly Task[]): tf.Scalar {
  const terms = tasks.map((task) => (task.weight === 1 ? losses.get(task.name)! : tf.mul<tf.Scalar>(task.weight, losses.get(task.name)!)));
  return terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
}

/** The parameters techniques replace for this step (weight noise), merged; undefined when none does. */
function perturbedParams(techniques: readonly Technique[], model: Model, step: StepInfo): ReadonlyMap<string, tf.Tensor> | undefined {
  const replaced = new Map<string, tf.Tensor>();
  for (const technique of techniques) for (const [name, value] of technique.perturbParams?.(model, step) ?? []) replaced.set(name, value);
  return replaced.size > 0 ? replaced : undefined;
}

/** Rescales all gradients together so their global L2 norm is at most `limit`. */
function clipByGlobalNorm(grads: tf.NamedTensorMap, limit: number): tf.NamedTensorMap {
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(limit, tf.maximum(norm, 1e-12)));
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}

/** AdamW's decoupled decay: w ← w − η·λ·w for every trainable weight. */
function decayWeights(model: Model, rate: number): void {
  for (const variable of model.trainableParams()) tf.tidy(() => variable.assign(tf.mul(variable, 1 - rate)));
}
