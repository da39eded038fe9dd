import type { BlockSpec } from "./types.js";

/** The kinds of top-level declaration, in the order a spec usually gives them. */
export const BLOCKS: readonly BlockSpec[] = [
  {
    name: "data",
    syntax: "data NAME { SETTING… }",
    doc: "Where examples come from and what is predicted: the source, the input type, the targets, the features of a table, how features are scaled and gaps handled, and the disjoint splits. Its statements are data settings. `DATA.input` names its input and `DATA.TARGET` each target.",
    example: "data digits {\n  source mnist\n  target label = class(10)\n  split  train: 1000, val: 500, test: 2000\n}",
  },
  {
    name: "model",
    syntax: "model NAME(DATA.input) { [LAYER =] KIND(ARGS)… }",
    doc: "The layers, in order, fed by the data block's input. `NAME =` names a layer so that tasks, techniques and `from` can point at it; `MODEL.output` is the last layer. Its statements are layer calls.",
    example: "model mlp(digits.input) {\n  flatten()\n  h1  = dense(128, activation: relu)\n  out = dense(10)\n}",
  },
  {
    name: "task",
    syntax: "task NAME = KIND(MODEL.LAYER, DATA.TARGET, ARGS)",
    doc: "One line: which layer's output predicts which target, with which loss and weight. Several tasks on one model make it multitask (book §7.7). The task kinds are `classify`, `regress` and `reconstruct`.",
    example: "task digit = classify(mlp.out, digits.label)",
  },
  {
    name: "train",
    syntax: "train [NAME] { SETTING… }",
    doc: "How the model is fitted: optimizer, epochs, batch size, seed, learning-rate schedule, gradient clipping, or `solver closed_form`. A spec has one. Its statements are train settings.",
    example: "train {\n  optimizer adam(lr: 1e-3)\n  epochs    30\n  batch     64\n}",
  },
  {
    name: "regularize",
    syntax: "regularize MODEL { TECHNIQUE(ARGS) [on|after|using|along …]… }",
    doc: "The regularization of one model: each statement is a technique from chapter 7 of Goodfellow, Bengio & Courville (2016), with its arguments and clauses (`on` parameters or layers, `after` a layer, `using` a split, `along` transforms).",
    example: "regularize mlp {\n  l2(1e-4) on *.kernel\n  early_stop(monitor: val_loss, patience: 5)\n}",
  },
  {
    name: "tune",
    syntax: "tune { SETTING… }",
    doc: "How `regc tune` searches the spec's search spaces (`uniform(…)`, `choice(…)` written where a value goes): how many trials, the objective to maximize or minimize on a non-test split, and the method. A spec with search spaces needs one; `regc run` and `regc compile` send such a spec to `regc tune`. Its statements are tune settings.",
    example: "tune {\n  trials    20\n  objective maximize val_accuracy\n}",
  },
];
