import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import * as catalog from "../compiler/catalog/index.js";
import type { ArgSpec } from "../compiler/catalog/index.js";
import { shapeText, type DataInfo, type ModelInfo, type Program } from "../compiler/checker/program.js";
import type { ClauseKeyword } from "../compiler/syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { listedWords, otherStatements, statementAt } from "./ast-lookup.js";
import { blockItems } from "./block-snippets.js";
import { argOfSlot, callableOf, calleesAtCursor, clausesOf, isSearchSpace, settingIn, slotTarget, statementCallable, type Callable } from "./callables.js";
import {
  argNameItems,
  calleeItem,
  clauseKeywordItems,
  namedSizeItems,
  settingItem,
  settingWordItems,
  wordValueItems,
} from "./completion-vocabulary.js";
import {
  columnItems,
  dataInputItem,
  dataInputItems,
  dataMemberItems,
  layerItems,
  metricItems,
  modelItems,
  modelMemberItems,
  paramNameItems,
  paramRefItems,
  qualifiedLayerItems,
  splitNameItems,
  splitRefItems,
  targetRefItems,
} from "./completion-references.js";
import { cursorContext, type ArgSlot, type CursorContext } from "./cursor-context.js";
import type { Feature } from "./feature.js";
import { toOffset, toRange } from "./positions.js";
import { asPlainText, readsPlainText } from "./catalog-markdown.js";

/**
 * Context-aware completion: what fits at the cursor, from the catalog (block
 * snippets, settings, layer kinds, techniques, arguments and their values)
 * and from the checked spec (layers, parameters, targets, splits, columns).
 */

/** What the cursor's surroundings resolve to in the checked spec. */
interface Scope {
  context: CursorContext;
  text: string;
  /** Its syntax tree is read only where the words written around the cursor matter: while typing, it may cost a parse. */
  analysis: Analysis;
  program: Program;
  /** The model a `model` or `regularize` block is about. */
  model?: ModelInfo;
  /** The data block being edited, or the data the model reads. */
  data?: DataInfo;
  /** A string is being typed: only a column name (written as a string) fits. */
  quoted: boolean;
  /** The client takes snippets (`${1:units}`); else calls and blocks are inserted as plain text. */
  snippets: boolean;
}

function scopeAt(analysis: Analysis, context: CursorContext, snippets: boolean): Scope {
  const { program } = analysis;
  const block = context.block;
  const scope: Scope = { context, text: analysis.text, analysis, program, quoted: context.word.text.startsWith('"'), snippets };
  // A `tune` block's objective is a metric of the model the tasks train.
  const tuned = block?.kind === "TuneBlock" ? [...program.tasks.values()].find((t) => t.model)?.model : undefined;
  const model = block?.kind === "ModelBlock" || block?.kind === "RegularizeBlock" ? program.models.get(block.name ?? "") : tuned;
  const data = block?.kind === "DataBlock" ? program.data.get(block.name ?? "") : model?.data;
  if (model) scope.model = model;
  if (data) scope.data = data;
  return scope;
}

export function completionsAt(analysis: Analysis, offset: number, snippets: boolean): CompletionItem[] {
  const context = cursorContext(analysis.text, offset);
  if (context.inert) return [];
  const scope = scopeAt(analysis, context, snippets);
  const found = candidates(scope);
  const items = scope.quoted ? found.filter((i) => i.insertText?.startsWith('"')) : found;
  const range = toRange(analysis.lines, { start: context.word.start, end: offset });
  // Each item replaces the word typed so far; the order given here is the order shown.
  return items.map(({ insertText, ...item }, i) => ({
    sortText: String(i).padStart(4, "0"),
    ...item,
    textEdit: { range, newText: insertText ?? item.label },
  }));
}

function candidates(scope: Scope): CompletionItem[] {
  const { context, program } = scope;
  if (context.qualifier.length > 0) return memberItems(scope);
  const site = context.site;
  switch (site.kind) {
    case "topLevel":
      return blockItems(program, scope.snippets);
    case "blockName":
      return context.block?.kind === "RegularizeBlock" ? modelItems(program) : [];
    case "statementStart":
      return context.block?.kind === "DataBlock" || context.block?.kind === "TrainBlock" || context.block?.kind === "TuneBlock" ? settingItems(scope) : calleeItems(scope);
    case "callee":
      return calleeItems(scope);
    case "settingArg":
      return settingValueItems(scope, site.setting, site.slot);
    case "callArg":
      return callArgItems(scope, site.slot);
    case "clause":
      return site.slot.valueTokens === 0 ? clauseTargetItems(scope, site.keyword) : clauseItems(scope, [site.keyword]);
    case "afterCall":
      return clauseItems(scope, site.clausesGiven);
    case "none":
      return [];
  }
}

/** Settings of the block, less those already written that may appear only once. */
function settingItems(scope: Scope): CompletionItem[] {
  const given = new Set(otherStatements(scope.analysis.ast, scope.context.offset).flatMap((s) => (s.kind === "Setting" ? [s.keyword.name] : [])));
  const kind = scope.context.block?.kind;
  const block = kind === "DataBlock" ? "data" : kind === "TuneBlock" ? "tune" : "train";
  return catalog
    .settingsOf(block)
    .filter((s) => s.repeatable || !given.has(s.name))
    .map(settingItem);
}

/** The search spaces that may stand here (none where a trial cannot vary the value). */
function spaceItems(scope: Scope): CompletionItem[] {
  return calleeItems(scope).filter((item) => catalog.fn("search_space", item.label) !== undefined);
}

/** A spec being tuned (it has a `tune` block or a space already) is offered search spaces beside values. */
function isTuned(program: Program): boolean {
  return program.tune !== undefined || program.spaces.length > 0;
}

function calleeItems(scope: Scope): CompletionItem[] {
  const { context, text, program } = scope;
  const atStatement = context.site.kind === "statementStart" || context.site.kind === "callee";
  const parenFollows = /^[A-Za-z0-9_]*\(/.test(text.slice(context.offset));
  return calleesAtCursor(context)
    .filter((c) => isTuned(program) || !isSearchSpace(c))
    .map((c) => calleeItem(c, { bareAllowed: !atStatement, parenFollows, snippets: scope.snippets }));
}

function settingValueItems(scope: Scope, name: string, slot: ArgSlot): CompletionItem[] {
  const setting = settingIn(scope.context, name);
  if (!setting) return [];
  // `objective |` takes its word first (`maximize`), then, one word on, the metric.
  if (setting.qualifiers && slot.index === 0) {
    if (slot.valueTokens === 0) return settingWordItems(setting, setting.qualifiers);
    if (slot.valueTokens > 1) return [];
  } else if (slot.valueTokens > 0) return [];
  const value = setting.value;
  switch (value.kind) {
    case "call":
      return calleeItems(scope);
    case "word":
      return slot.index === 0 ? [...settingWordItems(setting, value.values), ...spaceItems(scope)] : [];
    case "binding":
      if (slot.form === "binding") return calleeItems(scope);
      return slot.form === "positional" ? settingWordItems(setting, value.words) : [];
    case "columns": {
      if (!scope.data) return slot.index === 0 ? settingWordItems(setting, value.words) : [];
      const targets = [...scope.data.targets.values()].flatMap((t) => (t.column ? [t.column] : []));
      const statement = statementAt(scope.analysis.ast, scope.context.offset);
      const exclude = new Set([...targets, ...listedWords(statement, scope.context.offset)]);
      const words = slot.index === 0 ? settingWordItems(setting, value.words) : [];
      return [...words, ...columnItems(scope.data, { numericOnly: true, exclude, quoted: scope.quoted })];
    }
    case "named_sizes":
      return slot.form === "positional" ? namedSizeItems(setting, value.names, new Set(slot.namesGiven)) : [];
    case "args": {
      const arg = argOfSlot(value.args, slot);
      return arg ? [...valueItems(scope, arg, setting.name), ...spaceItems(scope)] : [];
    }
  }
}

function callArgItems(scope: Scope, slot: ArgSlot): CompletionItem[] {
  const { context, program } = scope;
  const index = context.calls.length - 1;
  const frame = context.calls[index]!;
  if (frame.role.kind === "modelInput") return slot.valueTokens === 0 ? dataInputItems(program) : [];
  const callable = callableOf(context, index);
  if (!callable || slot.valueTokens > 0) return [];
  // Spaces are offered beside the values (for a call-valued argument, calleeItems lists both).
  const withSpaces = (arg: ArgSpec, owner: string) => [...valueItems(scope, arg, owner), ...(arg.type.kind === "call" ? [] : spaceItems(scope))];
  if (slot.form === "named") {
    const arg = callable.args.find((a) => a.name === slot.name);
    return arg ? withSpaces(arg, callable.name) : [];
  }
  const target = slotTarget(context, index);
  // Inside a space, its values are values of the argument it stands for.
  if (isSearchSpace(callable)) return target?.arg ? valueItems(scope, target.arg, target.owner.name) : [];
  const positional = argOfSlot(callable.args, slot);
  const values = positional ? withSpaces(positional, callable.name) : [];
  // A target type reads a column of a table source in its first slot (`class(Origin)`).
  const readsColumn = frame.role.kind === "setting" && frame.role.slot.form === "binding" && slot.index === 0 && positional?.type.kind !== "column";
  const columns = readsColumn && scope.data ? columnItems(scope.data, { quoted: scope.quoted }) : [];
  return [...values, ...columns, ...argNameItems(callable, argsTaken(callable, slot))];
}

/** Arguments already given: by name anywhere in the call, or by position before the cursor. */
function argsTaken(callable: Callable, slot: ArgSlot): Set<string> {
  const byPosition = callable.args
    .filter((a) => a.positional && !a.variadic)
    .slice(0, slot.positionalBefore)
    .map((a) => a.name);
  return new Set([...slot.namesGiven, ...byPosition]);
}

/** Values an argument of this type can take here. */
function valueItems(scope: Scope, arg: ArgSpec, owner: string): CompletionItem[] {
  const { context, program, model, data } = scope;
  const type = arg.type;
  switch (type.kind) {
    case "enum":
    case "boolean":
      return wordValueItems(arg, owner);
    case "metric":
      return model ? metricItems(program, model) : [];
    case "call":
      return calleeItems(scope);
    case "column":
      return data ? columnItems(data, { quoted: scope.quoted }) : [];
    case "ref":
      switch (type.to) {
        case "layer":
          if (context.block?.kind === "TaskDecl") return qualifiedLayerItems(program);
          return model ? layerItems(model) : [];
        case "param":
          // One parameter, not a glob; or a call that wraps one (`transpose(enc.kernel)`).
          return [...(model ? paramRefItems(model).filter((i) => !i.label.includes("*")) : []), ...calleeItems(scope)];
        case "model":
          return modelItems(program);
        case "target":
          return targetRefItems(program);
      }
      break;
    default:
      return [];
  }
}

/** What a clause of the statement's layer or technique may point at. */
function clauseTargetItems(scope: Scope, keyword: ClauseKeyword): CompletionItem[] {
  const { context, model } = scope;
  const callable = statementCallable(context);
  const target = clausesOf(callable)[keyword];
  switch (target) {
    case "params":
      return model ? paramRefItems(model) : [];
    case "layers":
      return model ? layerItems(model) : [];
    case "input_or_layers":
      return [inputItem(model), ...(model ? layerItems(model) : [])];
    case "split":
      return model?.data ? splitRefItems(model.data, preferredSplit(callable)) : [];
    case "transforms":
      return calleeItems(scope);
    case "layer": {
      // In a model, `from` names a layer written before this one.
      const before = context.block?.kind === "ModelBlock" ? context.offset : undefined;
      return model ? layerItems(model, { before, except: context.statement.boundName }) : [];
    }
    default:
      return [];
  }
}

/** The split a semi-supervised technique reads (what `requires.unlabeledSplit` asks for), offered first. */
function preferredSplit(callable: Callable | undefined): string | undefined {
  return callable?.kind === "technique" && callable.spec.requires?.unlabeledSplit ? UNLABELED_SPLIT : undefined;
}

const UNLABELED_SPLIT = "unlabeled";

function inputItem(model: ModelInfo | undefined): CompletionItem {
  return { label: "input", kind: CompletionItemKind.Variable, detail: `the model input${model?.inputShape ? ` ${shapeText(model.inputShape)}` : ""}` };
}

/** Clause keywords the statement's layer or technique accepts, less those written. */
function clauseItems(scope: Scope, given: readonly ClauseKeyword[]): CompletionItem[] {
  const clauses = clausesOf(statementCallable(scope.context));
  return clauseKeywordItems((Object.keys(clauses) as ClauseKeyword[]).filter((k) => !given.includes(k)));
}

/** After `NAME.`: a layer's parameters, a model's layers, or a data block's targets, input or splits. */
function memberItems(scope: Scope): CompletionItem[] {
  const { context, program, model } = scope;
  if (context.qualifier.length !== 1) return [];
  const owner = context.qualifier[0]!;
  const frame = context.calls[context.calls.length - 1];
  if (frame?.role.kind === "modelInput") {
    const data = program.data.get(owner);
    return data ? [dataInputItem(data, false)] : [];
  }
  if (model && (owner.includes("*") || model.byName.has(owner))) return paramNameItems(model, owner);
  const named = program.models.get(owner);
  if (named) return modelMemberItems(named);
  const data = program.data.get(owner);
  if (!data) return [];
  const site = context.site;
  const callable = statementCallable(context);
  if (site.kind === "clause" && clausesOf(callable)[site.keyword] === "split") return splitNameItems(data, preferredSplit(callable));
  return dataMemberItems(data);
}

export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: [".", "(", ",", " ", ":"] } },
  register({ connection, latestAnalysisOf, clientCapabilities }) {
    connection.onCompletion(({ textDocument, position }) => {
      const analysis = latestAnalysisOf(textDocument.uri);
      const client = clientCapabilities().textDocument?.completion?.completionItem;
      const items = analysis ? completionsAt(analysis, toOffset(analysis.lines, position), client?.snippetSupport === true) : null;
      return items && readsPlainText(client?.documentationFormat) ? items.map(plainDocumentation) : items;
    });
  },
};

/** An item for a client that reads documentation as plain text. */
function plainDocumentation(item: CompletionItem): CompletionItem {
  return item.documentation === undefined || typeof item.documentation === "string" ? item : { ...item, documentation: asPlainText(item.documentation) };
}
