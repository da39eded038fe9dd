/**
 * `reglang/runtime`: what generated training programs import, and nothing
 * else. Data, layers, tasks, optimizers, schedules, one factory per
 * technique, and the run that ties them together.
 */
export type { Tensor, Scalar } from "@tensorflow/tfjs";

export type { DataSpec, Dataset, DataSplit } from "./data/dataset.js";
export { DataError } from "./data/dataset.js";
export { Model, type ModelOptions } from "./model/model.js";
export { tie, transpose, type Tie, type ParamOperand } from "./model/ties.js";
export * from "./model/layers/index.js";

export type { Task } from "./train/tasks.js";
export { classify, regress, reconstruct } from "./train/tasks.js";
export { sgd, adam, adamw, rmsprop, type OptimizerDef } from "./train/optimizers.js";
export { constant, step, exponential, cosine, type Schedule } from "./train/schedules.js";
export type { Technique, Batch, StepInfo, ForwardPass, Predict } from "./train/technique.js";
export { Trainer, type TrainingPlan } from "./train/trainer.js";
export { TrainingStopped } from "./train/faults.js";

export { l2 } from "./techniques/l2.js";
export { l1 } from "./techniques/l1.js";
export { weightDecay } from "./techniques/weight-decay.js";
export { maxnorm } from "./techniques/maxnorm.js";
export { unitnorm } from "./techniques/unitnorm.js";
export { nonneg } from "./techniques/nonneg.js";
export { normBall } from "./techniques/norm-ball.js";
export { labelSmoothing } from "./techniques/label-smoothing.js";
export { earlyStop } from "./techniques/early-stop.js";
export { mcDropout } from "./techniques/mc-dropout.js";
export { pseudoLabel } from "./techniques/pseudo-label.js";
export { consistency } from "./techniques/consistency.js";
export { vat } from "./techniques/vat.js";
export { entropyMin } from "./techniques/entropy-min.js";
export { augment } from "./techniques/augment.js";
export { weightNoise } from "./techniques/weight-noise.js";
export { activityL1 } from "./techniques/activity-l1.js";
export { klSparsity } from "./techniques/kl-sparsity.js";
export { uncertaintyWeighting } from "./techniques/uncertainty-weighting.js";
export { fgsm } from "./techniques/fgsm.js";
export { pgd } from "./techniques/pgd.js";
export { softTie } from "./techniques/soft-tie.js";
export { snapshotEnsemble } from "./techniques/snapshot-ensemble.js";
export { bagging, type BaggingPlan } from "./techniques/bagging.js";
export { tangentProp } from "./techniques/tangent-prop.js";
export { tangentDistance } from "./techniques/tangent-distance.js";
export { contractive } from "./techniques/contractive.js";
export { manifold } from "./techniques/manifold-tangents.js";
export { solveRidge, assignRidge, type RidgeSolution } from "./solve/ridge.js";

export { Run, type RunOptions, type RunResult } from "./session/run.js";
export type { Ensemble, EnsembleMember } from "./session/ensemble.js";
export { isEntryPoint, runFromCommandLine, localPath, describeRunError } from "./session/command-line.js";
export type { FinalMetrics, History, EpochRecord } from "./run/history.js";
