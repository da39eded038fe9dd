import type { ArgSpec, TechniqueSpec } from "./types.js";

/**
 * The clauses of a `regularize` block, one entry per technique, grouped by
 * the section of Goodfellow, Bengio & Courville (2016, ch. 7) they come from.
 * Rules the checker applies (`requires`, `unique`, `conflictGroup`, …) are
 * properties here, never names in the checker.
 */

const BOOK = "Goodfellow, Bengio & Courville, Deep Learning (2016)";

/** The positional coefficient of a penalty or noise (`l2(1e-4)`, `gaussian_noise(0.1)`). */
function strength(name: string, doc: string): ArgSpec {
  return { name, type: { kind: "number" }, doc, required: true, positional: true, min: 0 };
}

function weightArg(doc: string, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name: "weight", type: { kind: "number" }, doc, min: 0, ...extra };
}

const rampArg: ArgSpec = {
  name: "ramp",
  type: { kind: "integer" },
  doc: "Epochs over which the term's weight rises from (nearly) 0 to `weight`, as `ramp_shape` says, with t = min(1, epochs completed / ramp): so that early, poor predictions on unlabeled data do not dominate; 0 applies it fully from the start.",
  default: 0,
  min: 0,
};

const rampShapeArg: ArgSpec = {
  name: "ramp_shape",
  type: { kind: "enum", values: ["gaussian", "linear"] },
  doc: "How the weight rises during the ramp: `gaussian`, w = weight·exp(−5(1 − t)²) (Laine & Aila 2017), or `linear`, w = weight·t.",
  default: "gaussian",
};

const XI_DOC =
  "Size ξ of the finite-difference step used to find the most sensitive direction, in input units. Large enough that float32 rounding of x + ξ·d and of the divergence does not swamp the step, small enough that the divergence is still quadratic there.";

/** The ramp-up every semi-supervised formula ends with. */
const RAMP = "w(t) = weight·exp(−5(1 − t)²) (ramp_shape: gaussian) or weight·t (linear), t = min(1, epochs completed / ramp)";

const unlabeledWeight = weightArg("Multiplier of this term relative to the supervised loss.", { default: 1 });

/** Semi-supervised terms read a `using` split that must be the unlabeled one. */
function semiSupervised(needs: { classifyTask?: boolean } = {}): Pick<TechniqueSpec, "clauses" | "requiredClauses" | "requires" | "hooks" | "regularizes"> {
  return { clauses: { using: "split" }, requiredClauses: ["using"], requires: { unlabeledSplit: true, ...needs }, hooks: ["add_loss"], regularizes: true };
}

const axisArg: ArgSpec = {
  name: "axis",
  type: { kind: "integers" },
  doc: "The axes a unit's norm runs over; absent means every axis but the last, i.e. each unit's incoming weights (axis 0 of a dense kernel, axes 0–2 of a conv kernel).",
  min: 0,
};

const PENALTIES: TechniqueSpec[] = [
  {
    name: "l2",
    section: "7.1",
    title: "L2 parameter penalty (ridge, Tikhonov)",
    doc: "Adds α times the sum of squared weights to the loss, pulling every weight toward zero in proportion to its size; directions the data does not support are shrunk most. With no `on` it applies to every kernel and no bias (biases need little regularization). It is also what makes `solver closed_form` well posed: (XᵀX + αI) is invertible even when parameters outnumber rows.",
    formula: "J̃(w) = J(w) + α·Σᵢ wᵢ²",
    reference: `${BOOK}, §7.1.1; Hoerl & Kennard, Ridge regression (1970)`,
    args: [strength("alpha", "Penalty strength α; typical values lie between 1e-5 and 1e-2.")],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "l2_shrinkage",
    hooks: ["add_loss", "solver"],
    regularizes: true,
  },
  {
    name: "l1",
    section: "7.1",
    title: "L1 parameter penalty (lasso)",
    doc: "Adds α times the sum of absolute weights to the loss. Unlike L2, its pull does not fade near zero, so many weights become exactly zero: a sparse model that also selects features (on a first-layer kernel, whole input columns drop out). With no `on` it applies to every kernel.",
    formula: "J̃(w) = J(w) + α·Σᵢ |wᵢ|",
    reference: `${BOOK}, §7.1.2; Tibshirani, Regression shrinkage and selection via the lasso (1996)`,
    args: [strength("alpha", "Penalty strength α; typical values lie between 1e-6 and 1e-3.")],
    clauses: { on: "params" },
    defaultOn: "kernels",
    hooks: ["add_loss"],
    regularizes: true,
  },
  {
    name: "weight_decay",
    section: "7.1",
    title: "Decoupled weight decay (AdamW-style)",
    doc: "Shrinks each weight by a fraction lr·λ after every optimizer step, outside the gradient. With plain SGD this equals an L2 penalty; with adaptive optimizers (Adam, RMSprop) it does not, and decoupled decay regularizes as intended where an L2 term is rescaled away. Do not combine it with `l2` on the same parameter. With no `on` it applies to every kernel.",
    formula: "w ← w − η·λ·w   (after each step)",
    reference: "Loshchilov & Hutter, Decoupled weight decay regularization (ICLR 2019)",
    args: [strength("lambda", "Decay rate λ per step, scaled by the learning rate; typical values lie between 1e-4 and 1e-1.")],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "l2_shrinkage",
    hooks: ["after_step"],
    regularizes: true,
  },
];

const CONSTRAINTS: TechniqueSpec[] = [
  {
    name: "maxnorm",
    section: "7.2",
    title: "Max-norm constraint",
    doc: "After every step, rescales each unit's vector of incoming weights whose L2 norm exceeds c back onto the sphere of radius c. Unlike a penalty it never shrinks small weights, and it lets a large learning rate explore without the weights blowing up — the pairing with dropout that Srivastava et al. found works best (c between 3 and 4).",
    formula: "wⱼ ← wⱼ · min(1, c / ‖wⱼ‖₂)   for each unit j, after each step",
    reference: "Srivastava et al., Dropout: a simple way to prevent neural networks from overfitting (JMLR 2014); " + `${BOOK}, §7.2`,
    args: [
      { name: "c", type: { kind: "number" }, doc: "Largest L2 norm allowed for a unit's incoming weights.", required: true, positional: true, min: 0, minExclusive: true },
      axisArg,
    ],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "constraint",
    hooks: ["after_step"],
    regularizes: true,
  },
  {
    name: "unitnorm",
    section: "7.2",
    title: "Unit-norm constraint",
    doc: "After every step, rescales each unit's incoming weights to L2 norm exactly 1, so a unit's response depends on the direction of its weights only; the scale must come from later layers or the bias.",
    formula: "wⱼ ← wⱼ / ‖wⱼ‖₂   for each unit j, after each step",
    reference: `${BOOK}, §7.2`,
    args: [axisArg],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "constraint",
    hooks: ["after_step"],
    regularizes: true,
  },
  {
    name: "nonneg",
    section: "7.2",
    title: "Non-negativity constraint",
    doc: "After every step, sets negative weights to zero. Each input can then only excite a unit, never inhibit it, which often gives parts-based, easier-to-read features and removes half of the hypothesis space.",
    formula: "w ← max(w, 0)   after each step",
    reference: "Chorowski & Zurada, Learning understandable neural networks with nonnegative weight constraints (2015); " + `${BOOK}, §7.2`,
    args: [],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "constraint",
    hooks: ["after_step"],
    regularizes: true,
  },
  {
    name: "norm_ball",
    section: "7.2",
    title: "Norm-ball constraint on a whole parameter",
    doc: "Keeps each listed parameter tensor inside the L2 ball of radius k, projecting it back onto the ball after every step: the explicit constraint Ω(θ) ≤ k of the book, where an L2 penalty would be its Lagrangian relaxation with an unknown multiplier. Unlike `maxnorm` it bounds the tensor's total norm, not each unit's.",
    formula: "W ← W · min(1, k / ‖W‖₂)   after each step",
    reference: `${BOOK}, §7.2`,
    args: [{ name: "k", type: { kind: "number" }, doc: "Radius of the ball: the largest L2 norm the whole parameter may have.", required: true, positional: true, min: 0, minExclusive: true }],
    clauses: { on: "params" },
    defaultOn: "kernels",
    conflictGroup: "constraint",
    hooks: ["after_step"],
    regularizes: true,
  },
];

const AUGMENTATION: TechniqueSpec[] = [
  {
    name: "augment",
    section: "7.4",
    title: "Dataset augmentation",
    doc: "Trains on randomly transformed copies of each image batch — transforms that do not change the label — so the network learns the invariances instead of memorizing pixels. Each argument turns one transform on; a single number x means a range symmetric about no change ([−x, x], or [1 − x, 1 + x] for `scale`), a pair gives the range itself. Applied in training only. Choose transforms that preserve the label: flipping a digit can change it.",
    formula: "x̃ = T_θ(x),  θ ~ Uniform(ranges);  y unchanged",
    reference: `${BOOK}, §7.4; Simard, Steinkraus & Platt, Best practices for convolutional neural networks applied to visual document analysis (2003)`,
    args: [
      { name: "rotate", type: { kind: "range", quantity: "angle" }, doc: "Rotation angle in degrees: `10deg` draws from [−10°, 10°].", min: -180, max: 180 },
      { name: "translate", type: { kind: "range", quantity: "pixels" }, doc: "Shift along each axis, in pixels (`2px`) or as a fraction of the side (`10%`): `2px` draws from [−2, 2]." },
      { name: "scale", type: { kind: "range", around: 1 }, doc: "Zoom factor: `0.1` draws from [0.9, 1.1], `[0.9, 1.2]` from that range. Every factor must be positive.", min: 0, minExclusive: true },
      { name: "shear", type: { kind: "range", quantity: "angle" }, doc: "Shear angle in degrees: `5deg` draws from [−5°, 5°].", min: -90, max: 90, minExclusive: true, maxExclusive: true },
      { name: "flip", type: { kind: "enum", values: ["none", "horizontal", "vertical", "both"] }, doc: "Random mirror images along the chosen axes; each flip happens with probability ½." },
      { name: "elastic", type: { kind: "number" }, doc: "Strength α of elastic distortion (Simard et al. 2003): a random displacement field smoothed by a Gaussian of σ = 4 px and scaled by α; about 34 for MNIST.", min: 0 },
      { name: "crop", type: { kind: "number", quantity: "pixels" }, doc: "Pad each side by this many pixels (`2px`, or `10%` of the side), repeating the border pixels, then crop a random window of the original size: a random whole-pixel shift of up to that many pixels.", min: 0 },
    ],
    clauses: {},
    requires: { imageInput: true },
    unique: true,
    hooks: ["transform_batch"],
    regularizes: true,
  },
];

const NOISE: TechniqueSpec[] = [
  {
    name: "gaussian_noise",
    section: "7.5",
    title: "Noise injection on inputs or hidden units",
    doc: "Adds zero-mean Gaussian noise to the input (the default) or to the outputs of the named layers, in training only. Small input noise is equivalent to a Tikhonov penalty on the network's sensitivity to its input (Bishop 1995); noise on hidden units makes the representation robust. Same as a `gaussian_noise(σ)` layer in the model.",
    formula: "h̃ = h + ε,  ε ~ N(0, σ²I)   in training",
    reference: `${BOOK}, §7.5; Bishop, Training with noise is equivalent to Tikhonov regularization (1995)`,
    args: [strength("stddev", "Standard deviation σ of the noise, in the units of the values it is added to.")],
    clauses: { on: "input_or_layers" },
    defaultOn: "input",
    hooks: ["model_structure"],
    regularizes: true,
  },
  {
    name: "weight_noise",
    section: "7.5",
    title: "Noise on the weights",
    doc: "Perturbs the listed parameters with fresh Gaussian noise for every training step; the gradient computed at the noisy weights updates the clean ones. It is a stochastic form of Bayesian inference over the weights and pushes training toward flat minima, where small weight changes hardly change the output. With no `on` it applies to every kernel.",
    formula: "W̃ = W + ε,  ε ~ N(0, σ²I) per step;  W ← W − η·∇_W̃ J(W̃)",
    reference: `${BOOK}, §7.5; Graves, Practical variational inference for neural networks (2011)`,
    args: [strength("stddev", "Standard deviation σ of the noise added to each weight.")],
    clauses: { on: "params" },
    defaultOn: "kernels",
    hooks: ["model_structure", "perturb_params"],
    regularizes: true,
  },
  {
    name: "label_smoothing",
    section: "7.5",
    title: "Label smoothing",
    doc: "Replaces each one-hot target with (1 − ε) on the true class and ε/K spread over all K classes. The softmax can then never reach its target by growing its logits without bound, which keeps it from becoming overconfident and models the chance that a label is wrong. Needs a classification task.",
    formula: "ỹ = (1 − ε)·y + ε/K",
    reference: `${BOOK}, §7.5.1; Szegedy et al., Rethinking the Inception architecture for computer vision (2016)`,
    args: [{ name: "epsilon", type: { kind: "number" }, doc: "Probability mass moved off the true class; 0.1 is usual.", required: true, positional: true, min: 0, max: 1, maxExclusive: true }],
    clauses: {},
    requires: { classifyTask: true },
    unique: true,
    hooks: ["transform_batch"],
    regularizes: true,
  },
];

const SEMI_SUPERVISED_TECHNIQUES: TechniqueSpec[] = [
  {
    name: "pseudo_label",
    section: "7.6",
    title: "Pseudo-labels on unlabeled data",
    doc: "Treats the model's own confident predictions on unlabeled examples as if they were labels and adds their cross-entropy to the loss. Pushes the decision boundary into low-density regions between classes; the threshold keeps doubtful guesses out, and the ramp waits until predictions are worth trusting. The label and whether it counts come from a pass as at inference (no dropout or noise), held constant; the cross-entropy is taken on a training pass (with dropout and noise), the one differentiated.",
    formula: `L += w(t)·(1/n′)·Σₓ′ 1[max p̄(x′) ≥ τ]·CE(argmax p̄(x′), p(x′; ξ)),  p̄ inference pass (constant), p(·; ξ) training pass;  ${RAMP}`,
    reference: "Lee, Pseudo-label: the simple and efficient semi-supervised learning method for deep neural networks (2013)",
    args: [
      { name: "threshold", type: { kind: "number" }, doc: "Confidence τ a prediction needs before it is used as a label.", default: 0.95, min: 0, max: 1, minExclusive: true },
      unlabeledWeight,
      rampArg,
      rampShapeArg,
    ],
    ...semiSupervised({ classifyTask: true }),
  },
  {
    name: "consistency",
    section: "7.6",
    title: "Consistency regularization (Π-model)",
    doc: "Runs each unlabeled example through the network twice with different random dropout and noise (augmentation transforms labeled batches only), and penalizes the squared difference between the two predictions, per class as Laine & Aila's is. The model learns to give the same answer under perturbations that should not matter, using examples that need no label. Both passes are training passes and both are differentiated.",
    formula: `L += w(t)·(1/n′)·Σₓ′ (1/K)·‖f(x′; ξ₁) − f(x′; ξ₂)‖²,  ξ₁, ξ₂ independent dropout and noise, K classes (output values);  ${RAMP}`,
    reference: "Laine & Aila, Temporal ensembling for semi-supervised learning (ICLR 2017)",
    args: [unlabeledWeight, rampArg, rampShapeArg],
    ...semiSupervised(),
  },
  {
    name: "vat",
    section: "7.6",
    title: "Virtual adversarial training",
    doc: "Finds, for each unlabeled example, the small perturbation of norm ε that changes the model's prediction most (by one power-iteration step from a random direction of size ξ), and penalizes the KL divergence the perturbation causes. Smooths the model along the directions it is most sensitive to, without labels. Every pass runs the model as at inference (dropout and noise off, whatever other clauses do), so the divergence is 0 without a perturbation; p(·|x′) and r_adv are held constant and only the perturbed pass is differentiated.",
    formula: `r_adv = ε·g/‖g‖₂,  g = ∇ᵣ KL(p(·|x′) ‖ p(·|x′ + r)) at r = ξ·d, d random;  L += w(t)·(1/n′)·Σₓ′ KL(p(·|x′) ‖ p(·|x′ + r_adv)),  every p an inference pass;  ${RAMP}`,
    reference: "Miyato et al., Virtual adversarial training: a regularization method for supervised and semi-supervised learning (TPAMI 2018)",
    args: [
      { name: "eps", type: { kind: "number" }, doc: "L2 norm ε of the adversarial perturbation, in input units.", required: true, min: 0, minExclusive: true },
      { name: "xi", type: { kind: "number" }, doc: XI_DOC, default: 1e-2, min: 0, minExclusive: true },
      { name: "iterations", type: { kind: "integer" }, doc: "Power-iteration steps used to find that direction; one is usually enough.", default: 1, min: 1 },
      unlabeledWeight,
      rampArg,
      rampShapeArg,
    ],
    ...semiSupervised({ classifyTask: true }),
  },
  {
    name: "entropy_min",
    section: "7.6",
    title: "Entropy minimization",
    doc: "Adds the entropy of the model's predicted class distribution on unlabeled examples to the loss, rewarding confident predictions there. Like pseudo-labels it moves the decision boundary away from dense clusters of data; it is best combined with another term, since on its own it can reinforce early mistakes. The prediction is the one the model makes at inference (no dropout or noise), differentiated through.",
    formula: `L += w(t)·(1/n′)·Σₓ′ −Σₖ p̄ₖ(x′)·log p̄ₖ(x′),  p̄ inference pass;  ${RAMP}`,
    reference: "Grandvalet & Bengio, Semi-supervised learning by entropy minimization (NIPS 2005)",
    args: [unlabeledWeight, rampArg, rampShapeArg],
    ...semiSupervised({ classifyTask: true }),
  },
];

const MULTITASK: TechniqueSpec[] = [
  {
    name: "uncertainty_weighting",
    section: "7.7",
    title: "Learned task weights (homoscedastic uncertainty)",
    doc: "Instead of fixed per-task `weight:`s, learns one log-variance sᵢ per task and weighs each task's loss by exp(−sᵢ), with sᵢ itself as a penalty so no task is switched off. Noisy or hard tasks get less weight automatically. Meaningful with two or more `task` lines over one shared model.",
    formula: "L = Σᵢ exp(−sᵢ)·Lᵢ + sᵢ,  sᵢ = log σᵢ² learned",
    reference: "Kendall, Gal & Cipolla, Multi-task learning using uncertainty to weigh losses for scene geometry and semantics (CVPR 2018)",
    args: [],
    clauses: {},
    requires: { severalTasks: true },
    unique: true,
    hooks: ["weigh_tasks", "final_metrics"],
    // It balances task losses; the sharing that regularizes is in the model, not in this clause.
    regularizes: false,
  },
];

const EARLY_STOPPING: TechniqueSpec[] = [
  {
    name: "early_stop",
    section: "7.8",
    title: "Early stopping",
    doc: "Watches a validation metric after every epoch and stops when it has not improved by more than `min_delta` for `patience` epochs, then returns the parameters from the best epoch. The number of steps acts like an L2 penalty's inverse strength (book §7.8). `then:` runs the book's second phase: `retrain_all` retrains from scratch on train + val for the best number of epochs (algorithm 7.2), `continue_all` keeps training on train + val until the validation loss falls to the training loss of the best epoch (algorithm 7.3). Losses and errors (`…loss`, `mae`, `mse`, `rmse`) are minimized, all others (accuracy) maximized.",
    formula: "t* = argminₜ monitor(θₜ);  stop when monitor(θₜ) has not improved by min_delta for patience epochs;  return θ_t*",
    reference: `${BOOK}, §7.8, algorithms 7.1–7.3; Prechelt, Early stopping — but when? (1998)`,
    args: [
      { name: "monitor", type: { kind: "metric" }, doc: "The metric to watch: `val_loss`, `val_accuracy`, or per task `val_TASK_loss`, `val_TASK_METRIC`.", default: "val_loss" },
      { name: "patience", type: { kind: "integer" }, doc: "Epochs without improvement to wait before stopping.", default: 10, min: 0 },
      { name: "min_delta", type: { kind: "number" }, doc: "Smallest change of the metric that counts as an improvement.", default: 0, min: 0 },
      { name: "restore_best", type: { kind: "boolean" }, doc: "Return the parameters of the best epoch rather than the last (the book's algorithm 7.1).", default: true },
      { name: "then", type: { kind: "enum", values: ["none", "retrain_all", "continue_all"] }, doc: "What to do after stopping: nothing, retrain on train + val for the best number of epochs, or continue on train + val until the validation loss reaches the best epoch's training loss.", default: "none" },
    ],
    clauses: {},
    unique: true,
    hooks: ["epoch_end", "training_end"],
    regularizes: true,
  },
];

const operandArg = (name: string, doc: string): ArgSpec => ({
  name,
  type: { kind: "ref", to: "param", wrappedBy: "tie_operand" },
  doc,
  required: true,
  positional: true,
});

const SHARING: TechniqueSpec[] = [
  {
    name: "tie",
    section: "7.9",
    title: "Hard parameter sharing",
    doc: "Makes two parameters one variable: A is not learned separately but is B (or Bᵀ with `transpose(B)`), and gradients from both uses add up. The trained model has no variable for A, so it has fewer parameters: a tied autoencoder's decoder reuses the encoder's kernel transposed, `tie(dec.kernel, transpose(enc.kernel))`. Both sides must have the same shape after any transpose. Other clauses naming A act on B's variable.",
    formula: "A ≡ B   (or A ≡ Bᵀ)",
    reference: `${BOOK}, §7.9; Vincent et al., Stacked denoising autoencoders (JMLR 2010)`,
    args: [
      operandArg("a", "The parameter that gets no variable of its own (`dec.kernel`), or `transpose(PARAM)`."),
      operandArg("b", "The parameter whose variable `a` uses: a parameter, or `transpose(PARAM)` (`transpose(enc.kernel)`)."),
    ],
    clauses: {},
    hooks: ["share_params"],
    regularizes: true,
  },
  {
    name: "soft_tie",
    section: "7.9",
    title: "Soft parameter sharing",
    doc: "Keeps two parameters separate but penalizes their squared distance, so they stay close unless the data insists otherwise — a prior that two models or layers should solve similar problems with similar weights. Shapes must agree, as for `tie`.",
    formula: "L += weight·‖A − B‖₂²",
    reference: `${BOOK}, §7.9; Lasserre, Bishop & Minka, Principled hybrids of generative and discriminative models (CVPR 2006)`,
    args: [
      operandArg("a", "One parameter (`m1.kernel`), or `transpose(PARAM)`."),
      operandArg("b", "The other parameter, or `transpose(PARAM)`."),
      weightArg("Penalty strength on the squared distance.", { required: true }),
    ],
    clauses: {},
    hooks: ["add_loss"],
    regularizes: true,
  },
];

const SPARSITY: TechniqueSpec[] = [
  {
    name: "activity_l1",
    section: "7.10",
    title: "L1 penalty on activations",
    doc: "Adds α times the mean absolute activation of the named layers to the loss, so that most units are near zero for any given input: a sparse representation, as opposed to the sparse weights of `l1`.",
    formula: "L += α·(1/n)·Σₙ Σⱼ |hⱼ(xₙ)|",
    reference: `${BOOK}, §7.10; Ranzato et al., Efficient learning of sparse representations with an energy-based model (NIPS 2006)`,
    args: [strength("alpha", "Penalty strength α.")],
    clauses: { on: "layers" },
    requiredClauses: ["on"],
    hooks: ["add_loss"],
    regularizes: true,
  },
  {
    name: "kl_sparsity",
    section: "7.10",
    title: "KL sparsity on mean activations",
    doc: "Penalizes the KL divergence between a target activation rate ρ and each unit's mean activation over the batch, so every unit fires rarely but none is dead. Needs activations in (0, 1): use it on a layer with `activation: sigmoid`.",
    formula: "L += β·Σⱼ KL(ρ ‖ ρ̂ⱼ),  ρ̂ⱼ = (1/n)·Σₙ hⱼ(xₙ),  KL(ρ ‖ ρ̂) = ρ·log(ρ/ρ̂) + (1 − ρ)·log((1 − ρ)/(1 − ρ̂))",
    reference: "Ng, Sparse autoencoder (CS294A lecture notes, 2011); " + `${BOOK}, §7.10`,
    args: [
      { name: "target", type: { kind: "number" }, doc: "Desired mean activation ρ of each unit.", default: 0.05, min: 0, max: 1, minExclusive: true, maxExclusive: true },
      weightArg("Penalty strength β.", { required: true }),
    ],
    clauses: { on: "layers" },
    requiredClauses: ["on"],
    requires: { sigmoidLayers: true },
    hooks: ["add_loss"],
    regularizes: true,
  },
];

const ENSEMBLES: TechniqueSpec[] = [
  {
    name: "bagging",
    section: "7.11",
    title: "Bagging (bootstrap aggregating)",
    doc: "Trains several copies of the model, each from its own initial weights on its own bootstrap resample of the training split (drawn with replacement, same size), and combines their predictions. Members err differently, so averaging cancels part of their variance. `average` averages class probabilities and other outputs; `vote` takes the majority class of class outputs (a tie goes to the likelier class) and still averages number outputs. Each member keeps its own folder in the run (`member-1/`, …); the metrics report every member beside the ensemble.",
    formula: "ŷ(x) = (1/k)·Σᵢ fᵢ(x),  fᵢ trained on Dᵢ ~ bootstrap(D)",
    reference: `${BOOK}, §7.11; Breiman, Bagging predictors (1996)`,
    args: [
      { name: "members", type: { kind: "integer" }, doc: "Number of models trained, each on its own resample.", default: 5, min: 2 },
      { name: "combine", type: { kind: "enum", values: ["average", "vote"] }, doc: "Average the members' outputs, or take the majority vote of their predicted classes.", default: "average" },
    ],
    clauses: {},
    unique: true,
    hooks: ["ensemble"],
    regularizes: true,
  },
  {
    name: "snapshot_ensemble",
    section: "7.11",
    title: "Snapshot ensemble",
    doc: "Splits training into cycles of a cosine learning-rate schedule that restarts high; at the end of each cycle the model sits in a different local minimum and its weights are saved. Prediction averages the snapshots: an ensemble for the cost of one training run. It drives the learning rate itself: each cycle restarts at the scheduled rate (the optimizer's `lr` unless a `schedule` changes it), once per epoch. The snapshots are kept in the run folder (`snapshots/1/`, …).",
    formula: "η(t) = (η₀/2)·(cos(π·mod(t, T/M)/(T/M)) + 1);  ŷ(x) = (1/M)·Σₘ fₘ(x)",
    reference: "Huang et al., Snapshot ensembles: train 1, get M for free (ICLR 2017)",
    args: [{ name: "cycles", type: { kind: "integer" }, doc: "Number M of learning-rate cycles, and of snapshots averaged; at most the epochs.", default: 5, min: 1, positional: true, atMostEpochs: true }],
    clauses: {},
    unique: true,
    hooks: ["learning_rate", "epoch_end", "wrap_prediction", "final_metrics"],
    regularizes: true,
  },
];

const DROPOUT: TechniqueSpec[] = [
  {
    name: "dropout",
    section: "7.12",
    title: "Dropout after a layer",
    doc: "Inserts inverted dropout after the named layer: in training each of its outputs is zeroed with probability `rate` and the rest scaled by 1/(1 − rate); at prediction nothing changes. Trains an exponential family of subnetworks that share weights and cannot co-adapt. Same as a `dropout(rate)` layer in the model.",
    formula: "h̃ = m ⊙ h / (1 − p),  mᵢ ~ Bernoulli(1 − p)   in training",
    reference: `Srivastava et al., Dropout (JMLR 2014); ${BOOK}, §7.12`,
    args: [{ name: "rate", type: { kind: "number" }, doc: "Probability p of dropping each value.", required: true, positional: true, min: 0, max: 1, maxExclusive: true }],
    clauses: { after: "layer" },
    requiredClauses: ["after"],
    hooks: ["model_structure"],
    regularizes: true,
  },
  {
    name: "mc_dropout",
    section: "7.12",
    title: "Monte-Carlo dropout at prediction",
    doc: "Keeps dropout active at prediction time and averages `samples` stochastic forward passes: an approximation to the full dropout ensemble (and to a Bayesian posterior predictive), whose spread also estimates the model's uncertainty. Needs dropout in the model.",
    formula: "p(y | x) ≈ (1/T)·Σₜ f(x; mₜ),  mₜ fresh dropout masks",
    reference: "Gal & Ghahramani, Dropout as a Bayesian approximation (ICML 2016)",
    args: [{ name: "samples", type: { kind: "integer" }, doc: "Number T of stochastic passes averaged per prediction.", default: 20, min: 1, positional: true }],
    clauses: {},
    unique: true,
    hooks: ["wrap_prediction"],
    // It changes how predictions are made, not what is learned: training is untouched.
    regularizes: false,
  },
];

const ADVERSARIAL: TechniqueSpec[] = [
  {
    name: "fgsm",
    section: "7.13",
    title: "Adversarial training (fast gradient sign)",
    doc: "Builds, for each training batch, the worst-case perturbation of size ε in max norm to first order — one step along the sign of the input gradient — and trains on a mix of clean and perturbed examples. Makes the network locally flat around the data, where near-linear models are most easily fooled. Perturbed inputs are clipped to the data's valid range; `regc run` reports the test accuracy clean and under the same attack.",
    formula: "x̃ = clip(x + ε·sign(∇ₓ J(θ, x, y)), valid range);  L = (1 − w)·J(θ, x, y) + w·J(θ, x̃, y)",
    reference: "Goodfellow, Shlens & Szegedy, Explaining and harnessing adversarial examples (ICLR 2015); " + `${BOOK}, §7.13`,
    args: [
      { name: "eps", type: { kind: "number" }, doc: "Max-norm size ε of the perturbation, in input units (for images in [0, 1], 0.1 is visible but label-preserving).", required: true, min: 0, minExclusive: true },
      weightArg("Share w of the adversarial loss in the total; 0.5 weighs clean and adversarial examples equally.", { default: 0.5, max: 1 }),
    ],
    clauses: {},
    // Each mixes its adversarial loss in place of a share of the clean one: two would leave the clean loss 1 − w₁ − w₂.
    conflictGroup: "adversarial",
    hooks: ["add_loss", "final_metrics"],
    regularizes: true,
  },
  {
    name: "pgd",
    section: "7.13",
    title: "Adversarial training (projected gradient descent)",
    doc: "A stronger adversary than `fgsm`: from a random start in the ε-ball, takes several signed gradient steps, projecting back into the ball after each, and trains on the result. Costs `steps` extra forward-backward passes per batch and gives models robust to first-order attacks. Every iterate stays in the data's valid range; `regc run` reports the test accuracy clean and under the same attack.",
    formula: "x⁰ = x + U(−ε, ε);  xᵗ⁺¹ = Π_{‖x′ − x‖∞ ≤ ε, x′ in the valid range}(xᵗ + step·sign(∇ₓ J(θ, xᵗ, y)));  L = (1 − w)·J(θ, x, y) + w·J(θ, x^steps, y)",
    reference: "Madry et al., Towards deep learning models resistant to adversarial attacks (ICLR 2018)",
    args: [
      { name: "eps", type: { kind: "number" }, doc: "Max-norm radius ε of the perturbation ball, in input units.", required: true, min: 0, minExclusive: true },
      { name: "steps", type: { kind: "integer" }, doc: "Number of gradient steps of the attack.", default: 10, min: 1 },
      { name: "step", type: { kind: "number" }, doc: "Size of each attack step; absent means 2.5·ε/steps.", min: 0, minExclusive: true },
      weightArg("Share w of the adversarial loss in the total; 1 trains on adversarial examples only.", { default: 1, max: 1 }),
      { name: "random_start", type: { kind: "boolean" }, doc: "Start from a uniformly random point in the ε-ball rather than the example itself.", default: true },
    ],
    clauses: {},
    // Each mixes its adversarial loss in place of a share of the clean one: two would leave the clean loss 1 − w₁ − w₂.
    conflictGroup: "adversarial",
    hooks: ["add_loss", "final_metrics"],
    regularizes: true,
  },
];

const TANGENTS: TechniqueSpec[] = [
  {
    name: "tangent_prop",
    section: "7.14",
    title: "Tangent propagation",
    doc: "Penalizes the directional derivative of the output along each transform's tangent vector at every training example, so that an infinitesimal rotation, shift or thickening leaves the prediction unchanged. It encodes the same invariance as augmentation, analytically and only locally. Tangents are those of the image blurred by a Gaussian of σ = 1 px, scaled to one pixel of movement (for rotation, scaling and shear: one pixel at half the image side from the centre); the output is each task's raw output (logits). J·v is a central difference of two training passes, so each tangent costs two more passes per batch. With `along manifold(AE)` the tangents come from a contractive autoencoder instead (the manifold tangent classifier).",
    formula: "L += λ·Σₙ Σᵢ ‖(∂f(x)/∂x)|ₓ₌ₓₙ · vᵢ(xₙ)‖²,  vᵢ the tangent of transform i",
    reference: "Simard et al., Tangent prop (NIPS 1992); Rifai et al., The manifold tangent classifier (NIPS 2011); " + `${BOOK}, §7.14`,
    args: [strength("weight", "Penalty strength λ.")],
    clauses: { along: "transforms" },
    requiredClauses: ["along"],
    // Image-only through its transforms: `along rotate` needs an image, `along manifold(…)` does not.
    hooks: ["add_loss", "final_metrics"],
    regularizes: true,
  },
  {
    name: "tangent_distance",
    section: "7.14",
    title: "Tangent distance classifier",
    doc: "Classifies by nearest neighbours among the training examples, with a distance that ignores the listed transforms: the distance between the tangent planes through the two images rather than between the images themselves. A rotated or shifted digit stays close to its class. Runs after training on the test split (the validation split when there is none), with every training example as a reference, and reports its accuracy beside the network's, with the same vote under plain Euclidean distance for comparison; the network's own predictions are unchanged.",
    formula: "d(x, x′) = min_{α, β} ‖(x + Tₓ·α) − (x′ + Tₓ′·β)‖²;  ŷ(x) = majority label of the k nearest training examples under d",
    reference: "Simard, LeCun & Denker, Efficient pattern recognition using a new transformation distance (NIPS 1993); " + `${BOOK}, §7.14`,
    args: [{ name: "k", type: { kind: "integer" }, doc: "Number of nearest neighbours that vote; at most the training rows.", default: 1, min: 1, positional: true, atMostTrainingRows: true }],
    clauses: { along: "transforms" },
    requiredClauses: ["along"],
    requires: { classifyTask: true },
    unique: true,
    hooks: ["final_metrics"],
    // A nearest-neighbour rule beside the network; it puts no constraint on the trained parameters.
    regularizes: false,
  },
  {
    name: "contractive",
    section: "7.14",
    title: "Contractive penalty",
    doc: "Penalizes the squared Frobenius norm of the Jacobian of the named layer's output with respect to the input, averaged over the batch, so the code changes only along the few directions the data actually varies in. An autoencoder trained this way learns the data manifold; `along manifold(MODEL)` then uses its leading Jacobian directions as tangents. For a dense layer on the input with sigmoid, tanh, relu or no activation it is the closed form Σⱼ σ′(aⱼ)²·Σᵢ Wᵢⱼ²; for any other layer an unbiased estimate from 8 random directions per example. The reconstruction loss is a mean over pixels, so useful weights are small (about 1e-2 on MNIST).",
    formula: "L += λ·‖∂h(x)/∂x‖_F²",
    reference: "Rifai et al., Contractive auto-encoders: explicit invariance during feature extraction (ICML 2011)",
    args: [strength("weight", "Penalty strength λ.")],
    clauses: { on: "layers" },
    requiredClauses: ["on"],
    hooks: ["add_loss"],
    regularizes: true,
  },
];

export const TECHNIQUES: readonly TechniqueSpec[] = [
  ...PENALTIES,
  ...CONSTRAINTS,
  ...AUGMENTATION,
  ...NOISE,
  ...SEMI_SUPERVISED_TECHNIQUES,
  ...MULTITASK,
  ...EARLY_STOPPING,
  ...SHARING,
  ...SPARSITY,
  ...ENSEMBLES,
  ...DROPOUT,
  ...ADVERSARIAL,
  ...TANGENTS,
];
