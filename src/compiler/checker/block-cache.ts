import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DiagnosticSink } from "../diagnostics/report.js";
import { SymbolTable } from "../binder/symbols.js";
import type { CheckContext } from "./context.js";

/** One block's part of a check: what it bound and reported, and the names it declared and referred to. */
interface BlockPart {
  result: unknown;
  diagnostics: readonly Diagnostic[];
  symbols: SymbolTable;
}

/**
 * How a block may take its part from the last check: `unchanged` where its
 * tree is the same and what blocks of its kind read of the program is the
 * same objects; `same-result` for a block that also reads files, which is
 * checked again and keeps its earlier part only where the new one equals it
 * (so the blocks that read it see the same objects and keep theirs too);
 * `none` where what it reads changed.
 */
export type Reuse = "unchanged" | "same-result" | "none";

/**
 * Each block's part of the last check of a document, so the next check of
 * an edited version binds again only the blocks the edit touched and those
 * that read them. A part is keyed by its block's tree, which the parse
 * reuses only for a chunk of the same text at the same offset, so every
 * span in it still holds. The language server keeps one per document.
 */
export class BlockCheckCache {
  private parts = new Map<A.Block, BlockPart>();
  /** The parts of the check under way: they replace `parts` when it is done, so nothing of older versions piles up. */
  private current = new Map<A.Block, BlockPart>();
  /** Per kind of block, what those blocks read of the program in the last check, and in the check under way. */
  private inputs = new Map<A.BlockKind, readonly unknown[]>();
  private currentInputs = new Map<A.BlockKind, readonly unknown[]>();

  /**
   * How blocks of a kind may reuse their parts, given what every block of
   * that kind reads of the program in this check (the entries of the maps
   * earlier phases filled): compared once per kind, not once per block.
   */
  reuseFor(kind: A.BlockKind, inputs: readonly unknown[]): Reuse {
    this.currentInputs.set(kind, inputs);
    const earlier = this.inputs.get(kind);
    return earlier && sameItems(earlier, inputs) ? "unchanged" : "none";
  }

  earlier(block: A.Block): BlockPart | undefined {
    return this.parts.get(block);
  }

  keep(block: A.Block, part: BlockPart): void {
    this.current.set(block, part);
  }

  /** Ends a check: only its parts are kept. */
  checkDone(): void {
    this.parts = this.current;
    this.current = new Map();
    this.inputs = this.currentInputs;
    this.currentInputs = new Map();
  }
}

/**
 * Checks one block with a sink and symbol table of its own, then adds what
 * it reported and bound to the check's: a block's part is whole, so
 * `cache` can hand it to the next check, which adds it the same way, in
 * the same order.
 */
export function checkBlock<T>(ctx: CheckContext, block: A.Block, reuse: Reuse, run: (ctx: CheckContext) => T, cache?: BlockCheckCache): T {
  const earlier = reuse === "none" ? undefined : cache?.earlier(block);
  let part: BlockPart;
  if (earlier && reuse === "unchanged") {
    part = earlier;
  } else {
    const sink = new DiagnosticSink();
    const symbols = new SymbolTable();
    const result = run({ ...ctx, sink, program: { ...ctx.program, symbols } });
    part = { result, diagnostics: sink.items, symbols };
    if (earlier && sameValue(earlier.result, part.result) && sameValue(earlier.diagnostics, part.diagnostics) && sameSymbols(earlier.symbols, symbols)) part = earlier;
  }
  cache?.keep(block, part);
  for (const diagnostic of part.diagnostics) ctx.sink.items.push(diagnostic);
  ctx.program.symbols.include(part.symbols);
  return part.result as T;
}

/** The entries of the program's maps blocks of a kind read, as one list of names and what they name. */
export function entriesOf(...maps: ReadonlyArray<ReadonlyMap<string, unknown>>): unknown[] {
  const entries: unknown[] = [];
  for (const map of maps) for (const [name, value] of map) entries.push(name, value);
  return entries;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameSymbols(a: SymbolTable, b: SymbolTable): boolean {
  return sameValue(a.declarations, b.declarations) && sameValue(a.references, b.references) && sameValue(a.globs, b.globs);
}

/**
 * Structural equality of what a check builds: plain objects, arrays and
 * maps by content, in order; anything else (a catalog entry, a function)
 * only by identity.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (a instanceof Map) return b instanceof Map && a.size === b.size && sameValue([...a], [...b]);
  if (!isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function isPlain(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
