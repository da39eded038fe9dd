import type * as A from "../syntax/ast.js";
import { parse, type ChunkCache } from "../syntax/parse.js";
import { sortDiagnostics, uniqueDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { DiagnosticSink } from "../diagnostics/report.js";
import { withoutSyntaxCascades } from "../diagnostics/syntax-cascades.js";
import { span } from "../syntax/span.js";
import type { CheckContext } from "./context.js";
import { checkData } from "./data.js";
import { checkModel, reportUnusedLayers } from "./model.js";
import { checkTask, layersUsedByTasks } from "./tasks.js";
import { checkTrain } from "./train.js";
import { checkRegularize } from "./regularize.js";
import { checkSamplingNeedsDropout } from "./sampling-needs-dropout.js";
import { checkConflicts, checkOptimizerConflicts } from "./conflicts.js";
import { checkCapacity } from "./capacity.js";
import { checkEpochBounds } from "./epoch-bounds.js";
import { trainEpochs } from "../tuning/command-fit.js";
import { checkTuning } from "./tune.js";
import { checkMemory } from "./memory.js";
import { checkSpacesMemory } from "./space-memory.js";
import { validName } from "./names.js";
import { nearest } from "./suggest.js";
import { BLOCK_WORDS } from "../syntax/lexer.js";
import { reportOutOfRangeNumbers } from "./numbers.js";
import type { Program } from "./program.js";
import type { DataAccess } from "../sources/data-access.js";
import { SymbolTable } from "../binder/symbols.js";
import { checkBlock, entriesOf, type BlockCheckCache } from "./block-cache.js";
import { withoutScaleWarningsOnIds } from "./feature-scales.js";

export interface CheckOptions {
  /** The spec's path on disk; data paths resolve relative to its folder. */
  path?: string;
  /** Chunks parsed for an earlier version of this text, reused where unchanged. */
  parseCache?: ChunkCache;
  /** Blocks checked for an earlier version of this text, reused where neither they nor what they read changed. */
  blockCache?: BlockCheckCache;
  /** Folders outside the spec's project that data may be read from: the user's choice, never the spec's. */
  dataAccess?: DataAccess;
  /** The most bytes training one model may hold at once; `DEFAULT_MEMORY_BUDGET` (catalog/limits.ts) when absent. */
  memoryBudget?: number;
}

export interface CheckResult {
  ast: A.SpecFile;
  program: Program;
  /** Syntax and semantic diagnostics, sorted by position. */
  diagnostics: Diagnostic[];
}

/**
 * Parse and type-check one spec. Never throws on user text: each phase
 * tolerates the holes error recovery leaves and reports what it can.
 */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const parsed = parse(text, options.parseCache);
  const sink = new DiagnosticSink();
  const program: Program = { symbols: new SymbolTable(), data: new Map(), models: new Map(), tasks: new Map(), regularize: [], spaces: [] };
  const { blocks } = parsed.ast;
  const unclosedComment = parsed.diagnostics.find((d) => d.code === "REG0004");
  const ctx: CheckContext = {
    text,
    sink,
    program,
    ...(options.path ? { path: options.path } : {}),
    ...(options.dataAccess && { dataAccess: options.dataAccess }),
    ...(options.memoryBudget !== undefined && { memoryBudget: options.memoryBudget }),
    nameless: namelessKinds(blocks),
    namesOfUnknownBlocks: new Set(parsed.ast.unknownBlocks.flatMap((block) => (block.name ? [block.name.name] : []))),
    declaredTwice: declaredTwice(blocks),
    ...(unclosedComment && { unreadFrom: unclosedComment.span.start }),
    unreadBlocks: new Set(parsed.ast.unknownBlocks.flatMap((block) => nearest(block.keyword.name, BLOCK_WORDS) ?? [])),
  };
  reportOutOfRangeNumbers(ctx, parsed.ast);

  const declared = new Map<string, A.Identifier>();
  // Each name by its folded form, so a spec of many declarations compares each once.
  const declaredFolded = new Map<string, A.Identifier>();
  const declare = (name: A.Identifier | undefined): boolean => {
    if (!name || !name.name || !validName(ctx, name)) return false;
    const earlier = declared.get(name.name);
    if (earlier) {
      sink.report("REG5001", name.span, { name: name.name }, { related: [{ span: earlier.span, message: "first declared here" }] });
      return false;
    }
    // Generated code names things after these (`buildNet`), where case and underscores no longer tell them apart.
    const folded = foldedName(name.name);
    const alike = declaredFolded.get(folded);
    if (alike) sink.report("REG5009", name.span, { name: name.name, other: alike.name }, { related: [{ span: alike.span, message: "declared here" }] });
    else declaredFolded.set(folded, name);
    declared.set(name.name, name);
    return true;
  };

  const { blockCache } = options;
  // What every block of a kind reads besides its own tree: the maps earlier phases filled, which kinds have blocks without a name, the names and nearest kinds of blocks of an unknown kind, and the names declared twice. Data blocks also read files.
  const reads = (...maps: Array<ReadonlyMap<string, unknown>>) => [...(ctx.nameless ?? []), ...(ctx.namesOfUnknownBlocks ?? []), ...(ctx.declaredTwice ?? []), ...[...(ctx.unreadBlocks ?? [])].map((kind) => `unread ${kind}`), `unread from ${ctx.unreadFrom}`, ...entriesOf(...maps)];
  // A block that lost its name to a syntax error is still checked, for what its body holds; nothing can name it, so what it declares is not kept.
  const unnamed: CheckContext = { ...ctx, program: { ...program, symbols: new SymbolTable() } };
  for (const block of blocks) {
    if (block.kind !== "DataBlock") continue;
    if (declare(block.name)) program.data.set(block.name!.name, checkBlock(ctx, block, "same-result", (c) => checkData(c, block), blockCache));
    else if (!block.name) checkData(unnamed, block);
  }
  const models = blockCache?.reuseFor("ModelBlock", reads(program.data)) ?? "none";
  for (const block of blocks) {
    if (block.kind !== "ModelBlock") continue;
    if (declare(block.name)) program.models.set(block.name!.name, checkBlock(ctx, block, models, (c) => checkModel(c, block), blockCache));
    else if (!block.name) checkModel(unnamed, block);
  }
  const tasks = blockCache?.reuseFor("TaskDecl", reads(program.data, program.models)) ?? "none";
  for (const block of blocks) {
    if (block.kind !== "TaskDecl" || !declare(block.name)) continue;
    const task = checkBlock(ctx, block, tasks, (c) => checkTask(c, block), blockCache);
    if (task) program.tasks.set(task.name, task);
  }
  const train = blockCache?.reuseFor("TrainBlock", reads()) ?? "none";
  for (const block of blocks) {
    if (block.kind !== "TrainBlock") continue;
    if (program.train) {
      sink.report("REG5001", block.keyword, { name: "train" }, { related: [{ span: program.train.keyword, message: "first declared here" }] });
      continue;
    }
    program.train = checkBlock(ctx, block, train, (c) => checkTrain(c, block), blockCache);
  }
  const regularize = blockCache?.reuseFor("RegularizeBlock", reads(program.data, program.models, program.tasks)) ?? "none";
  for (const block of blocks) {
    if (block.kind !== "RegularizeBlock") continue;
    program.regularize.push(checkBlock(ctx, block, regularize, (c) => checkRegularize(c, block), blockCache));
  }
  blockCache?.checkDone();
  for (const model of program.models.values()) reportUnusedLayers(ctx, model, layersUsedByTasks(program.tasks.values(), model));
  const tuning = checkTuning(ctx, parsed.ast);
  program.spaces = tuning.spaces;
  if (tuning.tune) program.tune = tuning.tune;
  checkConflicts(ctx, program.regularize);
  checkOptimizerConflicts(ctx, program.regularize, program.train);
  checkSamplingNeedsDropout(ctx, program.regularize, program.models.values());
  checkEpochBounds(ctx, program.regularize, trainEpochs(program));
  checkCapacity(ctx, program);
  // Trials train the spec written at other points of its spaces: those are checked too, where the spec parses.
  if (program.spaces.length > 0 && parsed.diagnostics.length === 0) checkSpacesMemory(ctx, program, (pointText) => check(pointText, withoutCaches(options)).program);
  else checkMemory(ctx, program);
  if (parsed.diagnostics.length === 0) reportMissingBlocks(ctx, blocks);

  const all = sortDiagnostics(uniqueDiagnostics([...parsed.diagnostics, ...withoutScaleWarningsOnIds(sink.items, program.models.values())]));
  return { ast: parsed.ast, program, diagnostics: withoutSyntaxCascades(text, all, new Set(parsed.diagnostics)) };
}

/** The options for checking another text: the caches hold this one's blocks. */
function withoutCaches(options: CheckOptions): CheckOptions {
  const { parseCache: _parseCache, blockCache: _blockCache, ...rest } = options;
  return rest;
}

/** Names that two blocks declare (REG5001): a use of one may mean either block. */
function declaredTwice(blocks: readonly A.Block[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const block of blocks) {
    const name = block.kind === "DataBlock" || block.kind === "ModelBlock" || block.kind === "TaskDecl" ? block.name?.name : undefined;
    if (name === undefined) continue;
    if (seen.has(name)) twice.add(name);
    seen.add(name);
  }
  return twice;
}

function namelessKinds(blocks: readonly A.Block[]): Set<"data" | "model"> {
  const kinds = new Set<"data" | "model">();
  for (const block of blocks) {
    if (block.kind === "DataBlock" && !block.name) kinds.add("data");
    if (block.kind === "ModelBlock" && !block.name) kinds.add("model");
  }
  return kinds;
}

function foldedName(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

const REQUIRED_BLOCKS: Array<{ kind: A.BlockKind; what: string }> = [
  { kind: "DataBlock", what: "a `data` block (where the examples come from)" },
  { kind: "ModelBlock", what: "a `model` block (the layers)" },
  { kind: "TaskDecl", what: "a `task` line (what is predicted and how it is scored)" },
  { kind: "TrainBlock", what: "a `train` block (optimizer, epochs, batch)" },
];

function reportMissingBlocks(ctx: CheckContext, blocks: readonly A.Block[]): void {
  if (blocks.length === 0) {
    ctx.sink.report("REG5006", span(0, 0), { detail: "this spec declares nothing yet: it needs `data`, `model`, `task` and `train` blocks" });
    return;
  }
  for (const { kind, what } of REQUIRED_BLOCKS) {
    if (blocks.some((b) => b.kind === kind)) continue;
    ctx.sink.report("REG5006", span(0, 0), { detail: `this spec needs ${what}` });
  }
}
