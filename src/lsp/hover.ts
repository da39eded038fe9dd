import type { Hover, MarkupContent } from "vscode-languageserver";
import type { Program } from "../compiler/checker/program.js";
import type { Declaration } from "../compiler/binder/symbols.js";
import type { Analysis } from "./analysis.js";
import { argOfSlot, callableOf, calleesAtCursor, settingIn } from "./callables.js";
import { asMarkdown, asPlainText, readsPlainText } from "./catalog-markdown.js";
import { argMarkdown, blockMarkdown, callableMarkdown, settingMarkdown } from "../compiler/reference/entry-markdown.js";
import * as catalog from "../compiler/catalog/index.js";
import { cursorContext, type CursorContext } from "./cursor-context.js";
import type { Feature } from "./feature.js";
import { toOffset, toRange } from "./positions.js";
import { columnMarkdown, dataMarkdown, globMarkdown, layerMarkdown, modelMarkdown, targetMarkdown, taskMarkdown } from "./program-markdown.js";
import type { Span } from "../compiler/index.js";

/**
 * Hover: what the checker inferred about a declared name (a layer's shape and
 * parameters, a data block's schema and splits, a model's size) or matched
 * with a glob (`*.kernel`: the parameters it stands for), or the
 * catalog's doc for a technique, layer kind, function, argument or setting.
 */
export function hoverAt(analysis: Analysis, offset: number): Hover | null {
  const hit = analysis.program.symbols.at(offset);
  const named = hit && nameMarkdown(analysis.program, hit.declaration);
  if (hit && named) return markdownHover(analysis, named, hit.span);
  const glob = analysis.program.symbols.globAt(offset);
  if (glob) return markdownHover(analysis, globMarkdown(glob, analysis.program.models.get(glob.model.name)), glob.span);

  const word = wordAround(analysis.text, offset);
  if (!word) return null;
  const context = cursorContext(analysis.text, word.end);
  if (context.inert || context.word.start !== word.start) return null;
  const markdown = blockKeywordMarkdown(analysis, word) ?? specMarkdown(analysis.program, context) ?? vocabularyMarkdown(analysis.text, context);
  return markdown ? markdownHover(analysis, markdown, word) : null;
}

function markdownHover(analysis: Analysis, value: string, span: Span): Hover {
  return { contents: asMarkdown(value), range: toRange(analysis.lines, span) };
}

/** What the program knows of a declared name; undefined for names the catalog documents better (a parameter, a split, a metric). */
function nameMarkdown(program: Program, declaration: Declaration): string | undefined {
  const owner = declaration.owner?.name ?? "";
  switch (declaration.kind) {
    case "data": {
      const data = program.data.get(declaration.name);
      return data && dataMarkdown(data);
    }
    case "model": {
      const model = program.models.get(declaration.name);
      return model && modelMarkdown(model);
    }
    case "layer": {
      const model = program.models.get(owner);
      const layer = model?.byName.get(declaration.name);
      return model && layer && layerMarkdown(model, layer);
    }
    case "target": {
      const data = program.data.get(owner);
      const target = data?.targets.get(declaration.name);
      return data && target && targetMarkdown(data, target);
    }
    case "task": {
      const task = program.tasks.get(declaration.name);
      return task && taskMarkdown(task);
    }
    case "column": {
      const data = program.data.get(owner);
      const column = data?.schema?.kind === "table" ? data.schema.columns.find((c) => c.name === declaration.name) : undefined;
      return data && column && columnMarkdown(data, column);
    }
    default:
      return undefined;
  }
}

/** How a task names a model's last layer: `MODEL.output`. */
const OUTPUT = "output";

const WORD_CHAR = /[A-Za-z0-9_]/;

function wordAround(text: string, offset: number): Span | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  return start < end && !/[0-9]/.test(text[start]!) ? { start, end } : undefined;
}

/** A block's keyword, where a block starts (the first word of a line): the block's entry, as `regc explain data` shows it. */
function blockKeywordMarkdown(analysis: Analysis, word: Span): string | undefined {
  const block = catalog.block(analysis.text.slice(word.start, word.end));
  return block && analysis.lines.position(word.start).character === 0 ? blockMarkdown(block) : undefined;
}

/**
 * Names the symbol table does not hold: `MODEL.output` (the last layer),
 * a layer in a statement too broken to parse or in a block edited since the
 * last check, and a column of a data block's source.
 */
function specMarkdown(program: Program, context: CursorContext): string | undefined {
  const name = context.word.text;
  const [owner, ...rest] = context.qualifier;
  const qualified = owner && rest.length === 0 ? program.models.get(owner) : undefined;
  if (qualified) {
    const layer = name === OUTPUT ? qualified.output : qualified.byName.get(name);
    return layer && layerMarkdown(qualified, layer);
  }
  const block = context.block;
  const blockModel = block?.kind === "ModelBlock" || block?.kind === "RegularizeBlock" ? program.models.get(block.name ?? "") : undefined;
  const layer = context.qualifier.length === 0 ? blockModel?.byName.get(name) : undefined;
  if (blockModel && layer && context.site.kind !== "statementStart") return layerMarkdown(blockModel, layer);
  if (block?.kind !== "DataBlock" || context.qualifier.length > 0) return undefined;
  const data = program.data.get(block.name ?? "");
  const column = data?.schema?.kind === "table" ? data.schema.columns.find((c) => c.name === name) : undefined;
  return data && column && context.site.kind !== "statementStart" ? columnMarkdown(data, column) : undefined;
}

/** The catalog entry a word names, judged from where it is written, as completion would offer it there. */
function vocabularyMarkdown(text: string, context: CursorContext): string | undefined {
  const name = context.word.text;
  const followedBy = /^[ \t]*(.?)/.exec(text.slice(context.offset))![1];

  const callee = calleesAtCursor(context).find((c) => c.name === name);
  if (callee) return callableMarkdown(callee);
  if (context.site.kind === "statementStart") {
    const setting = settingIn(context, name);
    return setting && settingMarkdown(setting);
  }
  if (context.site.kind === "callArg") return argumentMarkdown(context, name, followedBy === ":");
  if (context.site.kind === "settingArg") return settingWordMarkdown(context, context.site.setting, name);
  return undefined;
}

/** A word a setting takes (`normalize standard`, `solver closed_form`, `target self`). */
function settingWordMarkdown(context: CursorContext, settingName: string, word: string): string | undefined {
  const setting = settingIn(context, settingName);
  const value = setting?.value;
  const words = value?.kind === "word" ? value.values : value?.kind === "binding" || value?.kind === "columns" ? value.words : [];
  return setting && words.includes(word) ? settingMarkdown(setting) : undefined;
}

/** An argument's name (`activation:`), or a word value of it (`relu`). */
function argumentMarkdown(context: CursorContext, name: string, isName: boolean): string | undefined {
  const site = context.site;
  if (site.kind !== "callArg" || site.slot.valueTokens > 0) return undefined;
  const callable = callableOf(context, context.calls.length - 1);
  if (!callable) return undefined;
  if (isName && site.slot.form === "positional") {
    const arg = callable.args.find((a) => a.name === name);
    return arg && argMarkdown(arg, callable.name);
  }
  const arg = argOfSlot(callable.args, site.slot);
  return arg?.type.kind === "enum" && arg.type.values.includes(name) ? argMarkdown(arg, callable.name) : undefined;
}

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register({ connection, latestAnalysisOf, clientCapabilities }) {
    connection.onHover(({ textDocument, position }) => {
      const analysis = latestAnalysisOf(textDocument.uri);
      const hover = analysis ? hoverAt(analysis, toOffset(analysis.lines, position)) : null;
      const plain = readsPlainText(clientCapabilities().textDocument?.hover?.contentFormat);
      return hover && plain ? { ...hover, contents: asPlainText(hover.contents as MarkupContent) } : hover;
    });
  },
};
