import { ErrorCodes, ResponseError, type Position, type Range, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type { IToken } from "chevrotain";
import { BLOCK_KEYWORDS, CLAUSE_TOKENS, False, Ident, lex, True } from "../compiler/syntax/lexer.js";
import type { Declaration, SymbolHit, SymbolKind } from "../compiler/binder/symbols.js";
import type { Analysis } from "./analysis.js";
import { isCatalogWord } from "./catalog-words.js";
import type { Feature, FeatureContext } from "./feature.js";
import { toOffset, toRange } from "./positions.js";
import { globMatchChange } from "./rename-globs.js";
import { symbolAt, type DeclaredKind } from "./symbol-at.js";

const KEYWORDS = new Set([...BLOCK_KEYWORDS, ...CLAUSE_TOKENS, True, False]);
const TOP_LEVEL = new Set<string>(["data", "model", "task"]);

/**
 * Words a member name must not take because the language already gives them
 * a meaning there: `MODEL.output` is the last layer, `on input` the model's
 * input, `DATA.input` the data's input.
 */
const IMPLICIT_MEMBERS: Partial<Record<DeclaredKind, readonly string[]>> = { layer: ["input", "output"], target: ["input"] };

/** Rename a data, model, layer, task or target name everywhere it occurs; prepared, for a client that asks first (`prepareSupport`). */
export const renameFeature: Feature = {
  capabilities: (client) => ({ renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true }),
  register(context) {
    context.connection.onPrepareRename(({ textDocument, position }): { range: Range; placeholder: string } | ResponseError | null => {
      const found = symbolAt(context, textDocument.uri, position);
      if (found) return { range: toRange(found.analysis.lines, found.target.span), placeholder: found.target.declaration.name };
      const why = whyNotRenameable(context, textDocument.uri, position);
      return why === undefined ? null : new ResponseError(ErrorCodes.InvalidRequest, why);
    });

    context.connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit | ResponseError => {
      const found = symbolAt(context, textDocument.uri, position);
      if (!found) return new ResponseError(ErrorCodes.InvalidRequest, whyNotRenameable(context, textDocument.uri, position) ?? "Only data, model, layer, task and target names can be renamed.");
      const problem = invalidName(newName) ?? collision(found.analysis, found.target, newName) ?? globMatchChange(found.analysis.program, found.analysis.lines, found.target.declaration, newName);
      if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
      const edits: TextEdit[] = found.occurrences.map((o) => ({ range: toRange(found.analysis.lines, o.span), newText: newName }));
      return { changes: { [found.analysis.uri]: edits } };
    });
  },
};

/** The identifier or keyword token under the cursor, if any. */
function wordAt(text: string, offset: number): IToken | undefined {
  return lex(text).tokens.find(
    (t) => t.startOffset <= offset && offset <= t.startOffset + t.image.length && (t.tokenType === Ident || KEYWORDS.has(t.tokenType)),
  );
}

/** Why there is nothing to rename at the position; undefined where it holds no word (blank space, punctuation). */
function whyNotRenameable(context: FeatureContext, uri: string, position: Position): string | undefined {
  if (!context.documents.get(uri)) return `${uri} is not open: names are renamed in the documents the editor has open.`;
  const analysis = context.analysisOf(uri);
  if (!analysis) return "This spec is too large to analyse, so its names cannot be renamed.";
  const offset = toOffset(analysis.lines, position);
  const named = analysis.program.symbols.at(offset)?.declaration;
  const undeclared = named && UNDECLARED[named.kind]?.(named);
  if (undeclared) return undeclared;
  const word = wordAt(analysis.text, offset);
  return word && whyNotAName(word);
}

/** Names the spec uses but does not declare: each comes from elsewhere, and is renamed there if anywhere. */
const UNDECLARED: Partial<Record<SymbolKind, (declaration: Declaration) => string>> = {
  column: ({ name, owner }) => `\`${name}\` is a column that \`${owner?.name}\`'s data file names: rename it in the file, then here.`,
  param: ({ name, owner }) => `\`${name}\` is a parameter layer \`${owner?.name}\` has by its kind; it cannot be renamed.`,
  split: ({ name }) => `\`${name}\` names a split, and splits take the language's names; it cannot be renamed.`,
  metric: ({ name }) => `\`${name}\` is a metric the run reports: its name comes from a split and the loss or a task, and it cannot be renamed itself.`,
};

function whyNotAName(word: IToken): string {
  if (KEYWORDS.has(word.tokenType)) return `\`${word.image}\` is a keyword of the language and cannot be renamed.`;
  if (isCatalogWord(word.image)) return `\`${word.image}\` belongs to the catalog of layers, techniques and settings; only names declared in this spec can be renamed.`;
  return `\`${word.image}\` is not a data, model, layer, task or target name declared in this spec.`;
}

/** A new name must lex as exactly one identifier: no keyword, no glob, no punctuation. */
function invalidName(newName: string): string | undefined {
  const lexed = lex(newName);
  const [only, ...rest] = lexed.tokens;
  const single = lexed.errors.length === 0 && lexed.comments.length === 0 && rest.length === 0 && only?.image === newName;
  if (single && KEYWORDS.has(only.tokenType)) return `\`${newName}\` is a keyword of the language.`;
  if (!single || only.tokenType !== Ident || newName.includes("*")) return `\`${newName}\` is not a valid name: use letters, digits and \`_\`, not starting with a digit.`;
  return undefined;
}

/** Names share a scope with declarations of the same kind: blocks with each other, layers within a model, targets within a data block. */
function collision(analysis: Analysis, target: SymbolHit, newName: string): string | undefined {
  const { kind, name, owner } = target.declaration;
  if (newName === name) return undefined;
  const clash = analysis.program.symbols.declarations.find(
    (d) => d.span && d.name === newName && (TOP_LEVEL.has(kind) ? TOP_LEVEL.has(d.kind) : d.kind === kind && d.owner === owner),
  );
  if (clash) return `\`${newName}\` is already the name of a ${clash.kind}${clash.owner ? ` in \`${clash.owner.name}\`` : ""}.`;
  if (IMPLICIT_MEMBERS[kind as DeclaredKind]?.includes(newName)) return `\`${owner?.name}.${newName}\` already has a meaning; choose another name.`;
  return undefined;
}
