import type * as A from "../syntax/ast.js";
import { DiagnosticSink } from "../diagnostics/report.js";
import type { CheckContext } from "./context.js";
import { checkData } from "./data.js";
import { checkModel } from "./model.js";
import { checkTask } from "./tasks.js";
import { checkTrain } from "./train.js";
import type { Program } from "./program.js";
import type { DataAccess } from "../sources/data-access.js";

export interface RebindOptions {
  path?: string;
  dataAccess?: DataAccess;
}

/**
 * The program of an earlier check carried over to a newer parse of the
 * same document: what an editor answers from while typing, before the
 * whole spec is checked again. A block the parse reused unchanged and
 * unmoved (the same tree) keeps what was bound for it; a block that is new,
 * edited or moved is bound again on its own, data before models before
 * tasks, as the checker orders them, its names declared and resolved anew.
 * Nothing is reported: the next full check does that.
 *
 * What crosses blocks stays as it was bound: a kept model still reads the
 * data it was checked against, and regularize and tune blocks keep their
 * earlier binding (nothing an editor asks while typing reads them).
 */
export function rebind(checked: { ast: A.SpecFile; program: Program }, ast: A.SpecFile, text: string, options: RebindOptions = {}): Program {
  const previous = checked.program;
  const kept = new Set<A.Block>(ast.blocks);
  const unchanged = checked.ast.blocks.filter((b) => kept.has(b));
  const program: Program = {
    symbols: previous.symbols.carriedOver((span) => unchanged.some((b) => b.span.start <= span.start && span.end <= b.span.end)),
    data: keepBound(previous.data, (d) => kept.has(d.block)),
    models: keepBound(previous.models, (m) => kept.has(m.block)),
    tasks: keepBound(previous.tasks, (t) => kept.has(t.decl)),
    regularize: previous.regularize,
    spaces: previous.spaces,
    ...(previous.tune && { tune: previous.tune }),
    ...(previous.train && kept.has(previous.train.block) && { train: previous.train }),
  };
  const ctx: CheckContext = {
    text,
    sink: new DiagnosticSink(),
    program,
    ...(options.path ? { path: options.path } : {}),
    ...(options.dataAccess && { dataAccess: options.dataAccess }),
  };
  const bound = new Set<A.Block>([
    ...[...program.data.values()].map((d) => d.block),
    ...[...program.models.values()].map((m) => m.block),
    ...[...program.tasks.values()].map((t) => t.decl),
    ...(program.train ? [program.train.block] : []),
  ]);
  const rebound = ast.blocks.filter((b) => !bound.has(b));
  const declared = (name: A.Identifier | undefined): name is A.Identifier =>
    name !== undefined && name.name !== "" && !program.data.has(name.name) && !program.models.has(name.name) && !program.tasks.has(name.name);

  for (const block of rebound) if (block.kind === "DataBlock" && declared(block.name)) program.data.set(block.name.name, checkData(ctx, block));
  for (const block of rebound) if (block.kind === "ModelBlock" && declared(block.name)) program.models.set(block.name.name, checkModel(ctx, block));
  for (const block of rebound) {
    if (block.kind !== "TaskDecl" || !declared(block.name)) continue;
    const task = checkTask(ctx, block);
    if (task) program.tasks.set(task.name, task);
  }
  const train = rebound.find((b): b is A.TrainBlock => b.kind === "TrainBlock");
  if (!program.train && train) program.train = checkTrain(ctx, train);
  return program;
}

function keepBound<T>(bound: ReadonlyMap<string, T>, keep: (info: T) => boolean): Map<string, T> {
  return new Map([...bound].filter(([, info]) => keep(info)));
}
