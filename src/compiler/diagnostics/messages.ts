import type { Severity } from "./diagnostic.js";

/**
 * Every diagnostic the compiler can report, in one table. Codes are stable:
 * never renumber or reuse one. `message` is a template whose `{name}` holes
 * are filled by the reporter. `regc explain`, `docs/diagnostics.md` and the
 * language server's documentation links all read this table.
 *
 *   REG0xxx syntax           REG1xxx names and references
 *   REG2xxx values           REG3xxx shapes
 *   REG4xxx applicability    REG5xxx structure of the spec
 *   REG6xxx data sources
 *   REG7xxx compilation (`regc compile`, `regc run`)
 */
export interface MessageDef {
  severity: Severity;
  title: string;
  message: string;
  explanation: string;
}

export const MESSAGES = {
  // ── syntax ──────────────────────────────────────────────────────────────
  REG0001: {
    severity: "error",
    title: "syntax error",
    message: "{detail}",
    explanation:
      "The text does not follow the grammar of `.reg`. A file is a list of blocks (`data`, `model`, `task`, `train`, `regularize`); inside a block each line is a setting (`epochs 30`) or a call (`h1 = dense(64)`). Newlines end statements, except inside an unfinished call or list, which may go on over lines; a line that cannot go on with it (`h1 = dense(64)`, `epochs 30`, `}`) ends it, so a call whose `)` is forgotten there is an error at the end of its line.",
  },
  REG0002: {
    severity: "error",
    title: "unexpected character",
    message: "unexpected character `{text}`",
    explanation:
      "This character has no meaning in `.reg`. Names are letters, digits and `_` (plus `*` in globs); strings use double quotes; comments start with `//` or `/*`.",
  },
  REG0003: {
    severity: "error",
    title: "unterminated string",
    message: "this string is never closed",
    explanation: "A string starts with `\"` and must end with `\"` on the same line. Escape a quote inside it as `\\\"`.",
  },
  REG0004: {
    severity: "error",
    title: "unterminated comment",
    message: "this block comment is never closed",
    explanation: "A block comment starts with `/*` and runs until `*/`. Without the closing `*/` the rest of the file is a comment.",
  },
  REG0005: {
    severity: "error",
    title: "nested too deeply",
    message: "brackets nest more than {max} deep here",
    explanation: "Calls and lists may nest, but not without bound: past this depth the compiler stops reading the expression. No spec needs more than a few levels.",
  },
  REG0006: {
    severity: "error",
    title: "unknown block",
    message: "unknown block `{name}`",
    explanation:
      "A line at the top level of a file starts a block with its keyword: `data`, `model`, `task`, `train`, `regularize` or `tune`. A block that starts with any other word is skipped whole, up to the `}` that closes it, and the rest of the file is checked without it.",
  },

  // ── names and references ────────────────────────────────────────────────
  REG1001: {
    severity: "error",
    title: "unknown technique",
    message: "unknown regularization technique `{name}`",
    explanation:
      "Each line of a `regularize` block calls one technique from the catalog (`l2`, `dropout`, `early_stop`, …). Run `regc explain` on a technique's name in the editor's hover, or see the README's technique table.",
  },
  REG1002: {
    severity: "error",
    title: "unknown layer",
    message: "unknown layer kind `{name}`",
    explanation: "Each line of a `model` block calls one layer kind from the catalog (`dense`, `conv2d`, `maxpool`, `flatten`, …).",
  },
  REG1003: {
    severity: "error",
    title: "unknown setting",
    message: "unknown {block} setting `{name}`",
    explanation: "`data` and `train` blocks accept a fixed set of settings, each at most once. The message lists the nearest valid one.",
  },
  REG1004: {
    severity: "error",
    title: "unknown argument",
    message: "`{callee}` has no argument `{name}`",
    explanation: "A named argument must be one that the called layer, technique, optimizer or function declares.",
  },
  REG1005: {
    severity: "error",
    title: "unknown name",
    message: "cannot find {what} `{name}`{where}",
    explanation: "A reference must name something declared in the spec: a `data` block, a `model`, a layer inside a model, or a `task`.",
  },
  REG1006: {
    severity: "error",
    title: "no such parameter",
    message: "layer `{layer}` ({kind}) has no parameter `{param}`",
    explanation:
      "`LAYER.PARAM` names one weight tensor of a layer. Dense and conv layers have `kernel` and `bias`; batch_norm has `gamma` and `beta`; pooling, flatten, reshape and dropout layers have none.",
  },
  REG1007: {
    severity: "error",
    title: "glob matches nothing",
    message: "`{pattern}` matches no {what}",
    explanation: "A glob (`*.kernel`, `conv*.bias`) must match at least one parameter or layer of the model; otherwise the clause would silently do nothing.",
  },
  REG1008: {
    severity: "error",
    title: "unknown split",
    message: "data `{data}` has no split `{name}`",
    explanation: "Splits are declared by the `split` setting of a data block (`split train: 1000, val: 500, unlabeled: 5000`).",
  },
  REG1009: {
    severity: "error",
    title: "unknown column",
    message: "{source} has no column `{name}`",
    explanation: "Features and targets must name columns of the data source. Write a column whose name is not an identifier as a string: `\"Body Mass (g)\"`.",
  },
  REG1010: {
    severity: "error",
    title: "unknown value",
    message: "`{value}` is not a valid {what}",
    explanation: "This argument takes one of a fixed set of words (an activation, a loss, a monitored metric, …); the message lists them.",
  },
  REG1011: {
    severity: "error",
    title: "unknown data source",
    message: "unknown data source `{name}`",
    explanation: "`source` is `mnist`, `csv(\"path\")` or `json(\"path\")`.",
  },
  REG1012: {
    severity: "error",
    title: "unknown task kind",
    message: "unknown task kind `{name}`",
    explanation: "A task is `classify(OUTPUT, TARGET)`, `regress(OUTPUT, TARGET)` or `reconstruct(OUTPUT, INPUT)`.",
  },
  REG1013: {
    severity: "error",
    title: "unknown function",
    message: "unknown {what} `{name}`",
    explanation: "This position takes a call to one of a fixed set of functions (an optimizer, a target type, an input type, a learning-rate schedule, …).",
  },
  REG1014: {
    severity: "error",
    title: "wrong statement form",
    message: "{detail}",
    explanation:
      "`data` and `train` blocks hold settings (`KEYWORD ARG, …`); `model` and `regularize` blocks hold calls (`[NAME =] FUNC(ARGS) [CLAUSES]`).",
  },
  REG1015: {
    severity: "error",
    title: "unknown unit",
    message: "unknown unit `{unit}`",
    explanation: "Numbers may carry the units `deg` (angles), `px` (pixels) and `%` (a fraction of 100).",
  },
  REG1016: {
    severity: "error",
    title: "wrong kind of reference",
    message: "{detail}",
    explanation: "Each clause takes a particular kind of target: `on` takes parameters (`h1.kernel`) or layers, `using` takes a data split, `along` takes transforms, `from`/`after` take a layer of the same model.",
  },
  REG1017: {
    severity: "error",
    title: "glob as a name",
    message: "`{name}` cannot name anything: `*` makes a glob, which only references may use",
    explanation: "Data blocks, models, layers, tasks and targets are named with letters, digits and `_`. A `*` in a reference (`*.kernel`, `conv*`) matches many names, so it cannot be one.",
  },
  REG1018: {
    severity: "warning",
    title: "repeated target",
    message: "`{target}` adds nothing to the clause: {reason}",
    explanation: "A clause acts once on each parameter or layer its `on` names, so a target that names only what the targets before it already name (the same one written twice, or one a glob before it matches) changes nothing. Remove it, or write the target that was meant.",
  },

  // ── values ──────────────────────────────────────────────────────────────
  REG2001: {
    severity: "error",
    title: "value out of range",
    message: "{what} must be {range}, got {value}",
    explanation: "The catalog gives every numeric argument a range (a dropout rate lies in [0, 1), a penalty weight is ≥ 0, an epsilon is > 0).",
  },
  REG2002: {
    severity: "error",
    title: "wrong type",
    message: "{what} expects {expected}, got {actual}",
    explanation: "Each argument has a type in the catalog: a number, an integer, a string, a boolean, a word from a fixed set, a list, a unit-bearing quantity, or a reference. A number takes a unit only where one means something: `deg` for an angle, `px` or `%` for a length, and `%` for a fraction (any argument whose range lies in [0, 1], such as `dropout(50%)` or `label_smoothing(10%)`); elsewhere write it without one.",
  },
  REG2003: {
    severity: "error",
    title: "missing argument",
    message: "`{callee}` needs the argument `{name}`",
    explanation: "This argument has no default; write it, positionally or by name.",
  },
  REG2004: {
    severity: "error",
    title: "too many arguments",
    message: "`{callee}` takes at most {max}",
    explanation: "Extra positional arguments have nothing to bind to. Name them, or remove them.",
  },
  REG2005: {
    severity: "error",
    title: "argument given twice",
    message: "{what} `{name}` is given more than once",
    explanation: "An argument may appear once per call, either positionally or by name; a column once in `features`; a split once in `split`.",
  },
  REG2006: {
    severity: "error",
    title: "split too large",
    message: "the splits ask for {asked} rows but {source} has {available}",
    explanation: "Splits are disjoint: their row counts (or fractions) must fit within the rows the source has after missing values are handled.",
  },
  REG2007: {
    severity: "error",
    title: "split fractions exceed 1",
    message: "split fractions add up to {total}, more than 1",
    explanation: "Fractional splits share the rows of the source without overlap, so they must add up to at most 1.",
  },
  REG2008: {
    severity: "error",
    title: "missing setting",
    message: "{block} needs the `{setting}` setting",
    explanation: "A `data` block needs a `source` and targets; a `train` block needs an `optimizer` (or `solver closed_form`).",
  },
  REG2009: {
    severity: "error",
    title: "mixed split units",
    message: "splits mix row counts and fractions",
    explanation: "Write every split as a row count (`train: 1000`) or every split as a fraction (`train: 0.6`), not both.",
  },
  REG2010: {
    severity: "error",
    title: "number out of float range",
    message: "`{raw}` is beyond the largest number a 64-bit float holds (about 1.8e308)",
    explanation:
      "A number literal this large reads as Infinity, and no training can compute with it: a learning rate of Infinity makes every weight NaN. Write the value you mean; settings that count (epochs, units, batch) must also be whole numbers no larger than 2147483647, and seeds no larger than 4294967295.",
  },
  REG2011: {
    severity: "error",
    title: "number below float range",
    message: "`{raw}` is nearer 0 than the smallest number a 64-bit float holds (about 5e-324), so it reads as 0",
    explanation:
      "A number literal this small rounds to 0, and a clause with strength 0 does nothing: `l2(1e-400)` trains as if it were not there. Write the value you mean; a strength below about 1e-30 no longer changes float32 weights anyway.",
  },
  REG2020: {
    severity: "error",
    title: "log-uniform bound not positive",
    message: "`log_uniform` draws between two positive bounds, got low bound {value}",
    explanation: "`log_uniform(low, high)` is uniform in log low … log high, and the logarithm of zero or of a negative number does not exist. Give a small positive low bound (`log_uniform(1e-6, 1e-2)`), or search a range that includes 0 with `uniform(0, high)` or `choice(0, …)`.",
  },
  REG2021: {
    severity: "error",
    title: "malformed search space",
    message: "{detail}",
    explanation: "A search space is `choice(a, b, …)` with at least one value, or `uniform(low, high)`, `log_uniform(low, high)`, `int_uniform(low, high)` with two numbers in the same unit, low below high.",
  },
  REG2022: {
    severity: "error",
    title: "search space not allowed here",
    message: "{detail}",
    explanation: "A search space may stand for a value in a `model`, `task`, `train` or `regularize` block: a number, a word or a call. It cannot stand in the `data` block (every trial sees the same data, so trials stay comparable), in the `tune` block, for a name that points into the spec (a layer, parameter, metric, column), or inside another space.",
  },
  REG2023: {
    severity: "error",
    title: "search space of the wrong kind",
    message: "`{kind}` does not fit here: {detail}",
    explanation: "Each point of a space must be a value the argument accepts: `int_uniform` only where an integer is expected (units, kernel sizes, epochs), `uniform` and `log_uniform` where any number is, and `choice(…)` for words and calls (`choice(relu, tanh)`).",
  },

  // ── shapes ──────────────────────────────────────────────────────────────
  REG3001: {
    severity: "error",
    title: "kernel larger than input",
    message: "{kind} window {window} is larger than its input {input}",
    explanation: "With `valid` padding a convolution or pooling window must fit inside its input. Use a smaller kernel, `padding: same`, or fewer pooling layers before it.",
  },
  REG3002: {
    severity: "error",
    title: "class count mismatch",
    message: "task `{task}` classifies {classes} classes but `{layer}` outputs {units}",
    explanation: "A classify head must have one output per class of its target.",
  },
  REG3003: {
    severity: "error",
    title: "tie of mismatched shapes",
    message: "cannot tie {a} of shape {shapeA} to {b} of shape {shapeB}",
    explanation: "Hard sharing makes two parameters one variable, so their shapes (after any `transpose`) must be equal.",
  },
  REG3004: {
    severity: "error",
    title: "wrong input rank",
    message: "{kind} expects {expected} input, got shape {shape}",
    explanation: "Dense layers take a flat vector (add `flatten()` before them); conv and pooling layers take an image (height, width, channels).",
  },
  REG3005: {
    severity: "error",
    title: "reshape size mismatch",
    message: "cannot reshape {from} ({fromSize} values) to {to} ({toSize} values)",
    explanation: "A reshape must keep the number of values.",
  },
  REG3006: {
    severity: "error",
    title: "output shape mismatch",
    message: "task `{task}` needs output shape {expected} but `{layer}` gives {actual}",
    explanation: "A regress head outputs one value per numeric target; a reconstruct head outputs the input's shape.",
  },
  REG3007: {
    severity: "error",
    title: "input shape mismatch",
    message: "`input` declares {declared} but {source} holds {actual}",
    explanation: "The input type must describe the examples the source really holds; leave `input` out to take the source's own shape.",
  },
  REG3008: {
    severity: "error",
    title: "over the memory budget",
    message: "training model `{model}` needs about {needed} ({params} parameters, {activations} activation values per batch of {batch}), more than the {budget} memory budget",
    explanation:
      "Before anything is allocated, the checker estimates what training holds at once: every parameter four times as float32 (the weights, their gradients and two optimizer slots) and every layer's output twice per batch (forward and backward). A spec past the budget would exhaust memory or abort the wasm backend at `regc run`. Make the layers smaller or the batch smaller; on a machine with more memory, raise the budget with `--memory-budget SIZE` (e.g. `8GB`). The default is 2 GB.",
  },
  REG3009: {
    severity: "warning",
    title: "search space past the memory budget",
    message: "trials with `{space}` {beyond} need more than the {budget} memory budget: at {extreme}, training model `{model}` needs about {needed}",
    explanation:
      "The memory check (REG3008) holds for every point a search can train. A space that sizes the model or the batch is checked at its ends: where even its lightest values do not fit, no trial can run, and that is REG3008; where only its heavier values do not, the trials that draw them would stop for memory while the others run. The warning names the last value that fits: search up to it, or raise the budget with `--memory-budget SIZE`.",
  },

  // ── applicability ───────────────────────────────────────────────────────
  REG4001: {
    severity: "error",
    title: "image-only technique",
    message: "`{name}` applies to image inputs, but `{data}` is tabular",
    explanation: "Geometric transforms (rotation, translation, scaling, …) have no meaning for a vector of table columns; neither do techniques built on them (`augment`, `tangent_prop`, `tangent_distance`).",
  },
  REG4002: {
    severity: "error",
    title: "needs a classification task",
    message: "`{name}` needs a classify task, and this spec has none",
    explanation: "Label smoothing softens one-hot class targets; regression and reconstruction targets have no classes to smooth.",
  },
  REG4003: {
    severity: "error",
    title: "needs an unlabeled split",
    message: "`{name}` learns from unlabeled examples: it needs `using DATA.unlabeled`, an `unlabeled:` split of the data",
    explanation: "Semi-supervised techniques (`pseudo_label`, `consistency`, `vat`, `entropy_min`) add loss terms computed on unlabeled inputs, declared with `split …, unlabeled: N`.",
  },
  REG4004: {
    severity: "error",
    title: "monitors a missing split",
    message: "`{metric}` monitors split `{split}`, which data `{data}` does not declare",
    explanation: "Early stopping watches a metric on a held-out split; declare it (`split train: …, val: …`).",
  },
  REG4005: {
    severity: "error",
    title: "closed form needs a linear model",
    message: "`solver closed_form` needs a model of one linear dense layer, but `{model}` {reason}",
    explanation: "The closed-form ridge solution (XᵀX + αI)⁻¹Xᵀy exists for a linear model with a squared loss. Use an optimizer for anything else.",
  },
  REG4006: {
    severity: "error",
    title: "closed form without l2",
    message: "`solver closed_form` without `l2`: {why}",
    explanation:
      "`solver closed_form` computes the ridge solution (XᵀX + αI)⁻¹Xᵀy and takes α from the `l2(α)` clause. With more parameters than training rows, XᵀX alone has no inverse; XᵀX + αI always has one (book §7.3).",
  },
  REG4007: {
    severity: "warning",
    title: "under-constrained",
    message: "{params} trainable parameters but only {rows}, and nothing regularizes `{model}`",
    explanation:
      "When parameters far outnumber examples, many parameter settings fit the training data exactly; the problem is under-determined (book §7.3). Add a norm penalty, a constraint, dropout, noise or early stopping.",
  },
  REG4008: {
    severity: "error",
    title: "missing clause",
    message: "`{name}` needs an `{clause}` clause",
    explanation: "Some techniques need to be told what to act on: a semi-supervised term `using` an unlabeled split, `tangent_prop` `along` transforms.",
  },
  REG4009: {
    severity: "error",
    title: "clause not accepted",
    message: "`{name}` takes no `{clause}` clause",
    explanation: "Each technique or layer accepts only certain clauses (`on`, `using`, `along`, `from`, `after`).",
  },
  REG4010: {
    severity: "error",
    title: "needs a regression task",
    message: "{detail}",
    explanation: "This setting or technique only makes sense for a particular kind of task.",
  },
  REG4011: {
    severity: "warning",
    title: "monitors the test split",
    message: "`{metric}` watches the test split: choosing weights by it leaks the test data into training",
    explanation: "Early stopping picks the epoch whose weights it keeps, so the split it watches takes part in training (book §7.8). Watch a validation split (`val_loss`) and keep the test split for the final, unbiased score.",
  },
  REG4012: {
    severity: "warning",
    title: "needs several tasks",
    message: "`{name}` weighs several tasks against each other, but `{model}` has {tasks}",
    explanation: "Multitask techniques balance the losses of two or more `task` lines on one model; with a single task they change nothing but the loss's scale.",
  },
  REG4013: {
    severity: "warning",
    title: "needs sigmoid outputs",
    message: "`{name}` reads the outputs of `{layer}` as firing rates in (0, 1), but `{layer}` has {activation}",
    explanation: "KL sparsity compares each unit's mean activation ρ̂ with a target rate ρ, which only means something for units whose outputs lie in (0, 1): sigmoid units. Other outputs are clipped into (0, 1), where the penalty stops giving a useful gradient.",
  },
  REG4020: {
    severity: "error",
    title: "tunes on the test split",
    message: "the objective `{metric}` is measured on the test split: choosing hyperparameters by it leaks the test data into the model",
    explanation: "The test split estimates how the final model does on unseen data only if nothing was chosen by it. `regc tune` picks the point with the best objective, so the objective must be measured on another split, normally `val`.",
  },
  REG4021: {
    severity: "warning",
    title: "objective sought the wrong way",
    message: "`{metric}` is better {better}: `{direction}` would take the worst trial for the best",
    explanation: "`regc tune` keeps the trial whose objective is best in the direction the `objective` line says. Losses and errors (`loss`, `mae`, `mse`, `rmse`) are better lower and are minimized; accuracy is better higher and is maximized.",
  },

  // ── structure ───────────────────────────────────────────────────────────
  REG5001: {
    severity: "error",
    title: "duplicate name",
    message: "`{name}` is already declared",
    explanation: "Names of data blocks, models, tasks and layers within a model must be unique.",
  },
  REG5002: {
    severity: "error",
    title: "cycle in from",
    message: "`from` creates a cycle: {cycle}",
    explanation: "`from LAYER` must name a layer defined earlier in the model, so the layers form a graph without cycles.",
  },
  REG5003: {
    severity: "warning",
    title: "unused layer",
    message: "the output of layer `{name}` is never used",
    explanation: "No later layer, task or clause reads this layer's output, so it does not affect training. Remove it or feed it to something.",
  },
  REG5004: {
    severity: "error",
    title: "conflicting clauses",
    message: "{detail}",
    explanation: "Two clauses ask for incompatible things (two `early_stop`s, two constraints on the same parameter, `weight_decay` and `l2` on the same parameter, `fgsm` and `pgd` on one model — each gives a share of the clean loss to its adversarial examples, so together they could weigh the clean loss below zero, …).",
  },
  REG5005: {
    severity: "error",
    title: "duplicate setting",
    message: "`{name}` is already set in this block",
    explanation: "Each setting may appear once per block (except `target`, which may declare several targets).",
  },
  REG5006: {
    severity: "error",
    title: "missing block",
    message: "{detail}",
    explanation: "A spec that trains needs a `data` block, a `model`, at least one `task` and a `train` block.",
  },
  REG5007: {
    severity: "warning",
    title: "clause has no effect",
    message: "{detail}",
    explanation: "The clause is valid but, as written, changes nothing (a weight of 0, a rate of 0, …).",
  },
  REG5008: {
    severity: "error",
    title: "parameter tied to itself",
    message: "`{technique}` ties `{param}` to itself",
    explanation: "`tie(A, B)` makes A use B's variable (or its transpose), so A and B must be two different parameters. Tying a parameter to itself shares nothing and would leave it without a variable.",
  },
  REG5009: {
    severity: "error",
    title: "names differ only in case",
    message: "`{name}` and `{other}` differ only in case or underscores",
    explanation:
      "The generated program names its functions and constants after the spec's data, models and tasks (model `net` gives `buildNet`), and those names differ only where case and underscores do not count: models `m` and `M` would both be `buildM`. Give the two declarations names that differ in their letters or digits.",
  },
  REG5020: {
    severity: "error",
    title: "search spaces without a tune block",
    message: "this spec has {count} but no `tune` block to say how to search them",
    explanation: "A spec with search spaces (`choice`, `uniform`, `log_uniform`, `int_uniform`) is a family of specs: a `tune` block says how many trials to train, what to optimize and how to pick points, and `regc tune` runs it. Add a `tune` block, or write one value in place of each space.",
  },
  REG5021: {
    severity: "error",
    title: "tune block without search spaces",
    message: "the `tune` block has nothing to search: no value of this spec is a search space",
    explanation: "`regc tune` trains points of the spec's search spaces; without one every trial would be the same spec. Write a space where a value should be searched (`dropout(uniform(0.2, 0.6))`), or remove the `tune` block and train with `regc run`.",
  },
  REG5022: {
    severity: "error",
    title: "search method cannot search this space",
    message: "{detail}",
    explanation: "`method grid` trains every combination of listed values, so it takes only `choice` spaces. `method halving` gives trials more epochs as they prove themselves, so the number of epochs cannot be a space of its own.",
  },

  // ── data sources ────────────────────────────────────────────────────────
  REG6001: {
    severity: "error",
    title: "data file not found",
    message: "cannot find `{path}`",
    explanation: "A `csv(…)`/`json(…)` path resolves relative to the spec file first, then inside an npm package installed in the spec's project or a folder allowed with `--allow-data`, then inside reglang's own dependencies where regc is installed (`vega-datasets/data/cars.json`).",
  },
  REG6002: {
    severity: "error",
    title: "unreadable data file",
    message: "cannot read `{path}`: {reason}",
    explanation:
      "A csv file must have a header row and the same number of cells in every row; a json file must hold an array of objects. Either must be UTF-8 text: a file saved as Latin-1 or Windows-1252, or as UTF-16 (Excel's \"Unicode text\"), is refused rather than read with its letters replaced, which would merge labels such as `Orléans` and `Orlèans`; save it as UTF-8.",
  },
  REG6003: {
    severity: "error",
    title: "non-numeric column",
    message: "column `{column}` of {source} is {type}, not numeric",
    explanation: "Features and `number(…)` targets must be numeric columns: every value a number, or every value a boolean (read as 1 and 0). A column that mixes numbers with booleans is not numeric, for `regc check` and the run alike: write its booleans as 1 and 0. Use `class(…)` for a column of labels.",
  },
  REG6004: {
    severity: "error",
    title: "missing values",
    message: "{source} has {rows} with no value in {columns}, the first at {first}",
    explanation: "Training cannot use a row with a missing feature or target. Say what to do with them: `missing drop` removes those rows, `missing mean` fills features with the training mean.",
  },
  REG6005: {
    severity: "warning",
    title: "features of very different scales",
    message: "features differ in scale by {orders} orders of magnitude (`{large}` reaches {largeValue}, `{small}` only {smallValue}) and are not normalized",
    explanation: "A network starts with weights of similar size for every input, so a feature in grams beside one in millimetres dominates the first layer's sums and the gradient: training is slow, unstable or stuck at chance, and weight penalties shrink the small feature's weights far more than they should. `normalize standard` rescales every feature to zero mean and unit variance (`minmax` to [0, 1]) with statistics from the training split only. The check compares the largest absolute value of each numeric feature column.",
  },
  REG6006: {
    severity: "error",
    title: "target among the features",
    message: "column `{column}` holds target `{target}`, so it cannot be a feature too",
    explanation:
      "A feature is what the model is given; a target is what it must predict. A column that is both gives the model the answer with the question: training reaches a near-perfect score that means nothing, and the model is useless where the target is not known. List only the columns known before the target, or write `features all`, which takes every column except the targets'.",
  },
  REG6007: {
    severity: "error",
    title: "ids outside an embedding",
    message: "`{layer}` looks up ids 0…{last}, but {problem}",
    explanation:
      "An embedding layer that reads the model's input takes each input value as a row number of its table of learned vectors: the values must be whole numbers from 0 to `input_dim` − 1. The check compares each feature column's smallest and largest value, and its first fraction, with the table's size; normalizing the data would turn the ids into fractions. Give the embedding an `input_dim` above the largest id, or encode the column as ids from 0.",
  },
  REG6010: {
    severity: "error",
    title: "data file outside the project",
    message: "`{path}` lies {where}; data files must lie inside the spec's project or an installed package",
    explanation:
      "`regc check` runs on specs that anyone may write, such as the author of a pull request, so a spec may read only files inside its project (the nearest folder up from the spec that holds `package.json` or `.git`, else the spec's folder) or inside an installed package: not absolute paths elsewhere, not a package in the project's `node_modules` that is a link out of it, not `..` out of the project, not links that point out (whatever lies at their end, a file, a folder or nothing: nothing outside is looked at, so a spec cannot learn whether a path there exists). To read data kept elsewhere, whoever runs the tools allows its folder: `--allow-data FOLDER` for `regc check`, `compile` and `run`, or the editor setting `reglang.allowData`.",
  },
  REG6011: {
    severity: "error",
    title: "not a regular file",
    message: "`{path}` is {what}, not a regular file",
    explanation:
      "A data source must be an ordinary file. Folders, devices (`/dev/zero` never ends), named pipes and kernel pseudo-files (`/proc`, `/sys`) are refused before anything is read from them.",
  },
  REG6012: {
    severity: "error",
    title: "number out of float range in data",
    message: "{source}, column `{column}`, {row}: a number beyond float range (read as {value})",
    explanation:
      "A cell such as `1e999` is larger than a 64-bit float holds and reads as Infinity; one such value makes every loss and gradient it touches infinite or NaN. Fix the cell, or mark it missing (an empty cell, `NA`, or JSON `null`) and add `missing drop` or `missing mean`. Rows are counted as a spreadsheet shows them: in a CSV file the header is row 1; in a JSON array the first item is item 1.",
  },

  REG6013: {
    severity: "warning",
    title: "labels that differ only in case or spaces",
    message: "column `{column}` of {source} holds {first} ({firstRow}) and {second} ({secondRow}), which differ only in {difference}: they are two classes",
    explanation:
      "A class target's labels are read exactly as written, so `yes`, `Yes` and ` yes` are three classes: the model must learn to tell apart what is most likely one answer typed three ways, and each class has fewer examples than it should. Numbers are not affected (` 3 ` reads as 3). If the labels name one class, write them alike in the file; if they are distinct classes, nothing needs to change.",
  },

  // ── compilation ─────────────────────────────────────────────────────────
  REG7001: {
    severity: "error",
    title: "cannot compile",
    message: "`regc compile` cannot write code for this spec: {detail}",
    explanation: "The spec is valid, but one run cannot train it as written: its tasks score two unrelated models, or a model it reads (`along manifold(…)`) cannot be trained first. `regc check` passes it; `regc compile` and `regc run` stop here.",
  },
  REG7002: {
    severity: "error",
    title: "spec has search spaces",
    message: "this spec has search spaces, so it describes many runs: train it with `regc tune {file}`",
    explanation: "`regc run`, `regc compile` and `regc ablate` train or write one program, and a spec with `choice`, `uniform`, `log_uniform` or `int_uniform` values is a family of them. `regc tune` trains points of the family and writes `best.reg`, the spec with the best point's values, which `regc run` trains and `regc ablate` studies.",
  },
  REG7003: {
    severity: "error",
    title: "cannot tune",
    message: "`regc tune` cannot search this spec: {detail}",
    explanation: "The spec is valid, but `regc tune` has nothing to search in it: it trains points of a spec's search spaces (`choice`, `uniform`, `log_uniform`, `int_uniform`), each trial for a budget of epochs. A spec without spaces is one program, which `regc run` trains; a closed-form solve trains no epochs. `regc check` passes such a spec; `regc tune` stops here, before any trial.",
  },
} as const satisfies Record<string, MessageDef>;

export type Code = keyof typeof MESSAGES;

export const ALL_CODES = Object.keys(MESSAGES) as Code[];
