import { SymbolKind, type DocumentSymbol, type SymbolInformation } from "vscode-languageserver";
import type * as A from "../compiler/syntax/ast.js";
import { shapeText, type LayerInfo } from "../compiler/checker/program.js";
import type { Span } from "../compiler/index.js";
import type { Analysis } from "./analysis.js";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";
import { groupedDigits } from "../shared/grouped-digits.js";

/**
 * The outline: one symbol per block; layers, settings, targets and clauses
 * beneath, or all in one list, each naming the symbol it is in, for a
 * client that does not take a tree (`hierarchicalDocumentSymbolSupport`).
 */
export const documentSymbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: { label: "reg" } },
  register(context) {
    context.connection.onDocumentSymbol(({ textDocument }): DocumentSymbol[] | SymbolInformation[] => {
      const analysis = context.analysisOf(textDocument.uri);
      const symbols = analysis ? analysis.ast.blocks.map((block) => blockSymbol(analysis, block)) : [];
      return context.clientCapabilities().textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ? symbols : flattened(textDocument.uri, symbols);
    });
  },
};

/** The tree as a list in document order, each symbol with the name of the one it is in. */
function flattened(uri: string, symbols: readonly DocumentSymbol[], containerName?: string): SymbolInformation[] {
  return symbols.flatMap(({ name, kind, range, children }) => [
    { name, kind, location: { uri, range }, ...(containerName !== undefined && { containerName }) },
    ...flattened(uri, children ?? [], name),
  ]);
}

function blockSymbol(analysis: Analysis, block: A.Block): DocumentSymbol {
  const symbol = (kind: SymbolKind, named: A.Identifier | undefined, detail: string, children: DocumentSymbol[]) =>
    makeSymbol(analysis, `${textOf(analysis, block.keyword)}${named?.name ? ` ${named.name}` : ""}`, kind, block.span, named?.name ? named.span : block.keyword, detail, children);
  const program = analysis.program;
  switch (block.kind) {
    case "DataBlock": {
      const input = block.name && program.data.get(block.name.name)?.inputShape;
      return symbol(SymbolKind.Struct, block.name, input ? `input ${shapeText(input)}` : "", block.body.flatMap((s) => settingSymbols(analysis, s)));
    }
    case "ModelBlock": {
      const model = block.name && program.models.get(block.name.name);
      const layers = model?.block === block ? model.layers : [];
      const detail = model?.block === block && !model.unresolved ? `${groupedDigits(model.paramCount)} parameters` : "";
      return symbol(SymbolKind.Class, block.name, detail, block.body.map((s) => layerSymbol(analysis, s, layers.find((l) => l.statement === s))));
    }
    case "TaskDecl":
      return symbol(SymbolKind.Event, block.name, block.call ? textOf(analysis, block.call.span) : "", []);
    case "TrainBlock":
      return symbol(SymbolKind.Object, block.name, "", block.body.flatMap((s) => settingSymbols(analysis, s)));
    case "RegularizeBlock":
      return symbol(SymbolKind.Module, block.target, "", block.body.map((s) => clauseSymbol(analysis, s)));
    case "TuneBlock":
      return symbol(SymbolKind.Object, undefined, "", block.body.flatMap((s) => settingSymbols(analysis, s)));
  }
}

/** A setting, or for a binding setting (`target label = class(10)`) the names it declares. */
function settingSymbols(analysis: Analysis, statement: A.Statement): DocumentSymbol[] {
  if (statement.kind !== "Setting") return [clauseSymbol(analysis, statement)];
  const bindings = statement.args.filter((a) => a.form === "binding" && a.name?.name);
  if (bindings.length === 0) {
    const values = statement.args.map((a) => textOf(analysis, a.span)).join(", ");
    const detail = statement.qualifier ? `${statement.qualifier.name} ${values}` : values;
    return [makeSymbol(analysis, statement.keyword.name || "?", SymbolKind.Property, statement.span, statement.keyword.span, detail, [])];
  }
  return bindings.map((a) =>
    makeSymbol(analysis, a.name!.name, SymbolKind.Field, a.span, a.name!.span, `${statement.keyword.name} ${a.value ? textOf(analysis, a.value.span) : ""}`.trim(), []),
  );
}

function layerSymbol(analysis: Analysis, statement: A.Statement, layer: LayerInfo | undefined): DocumentSymbol {
  if (statement.kind !== "CallStatement") return settingSymbols(analysis, statement)[0]!;
  const { name, call } = statement;
  const kind = call.callee.name || "?";
  const shape = layer?.outputShape ? ` → ${shapeText(layer.outputShape)}` : "";
  const label = name?.name || textOf(analysis, call.span) || kind;
  return makeSymbol(analysis, label, SymbolKind.Field, statement.span, name?.name ? name.span : call.callee.span, `${kind}${shape}`, []);
}

/** A technique clause (or any call statement): its name, and what follows it as detail. */
function clauseSymbol(analysis: Analysis, statement: A.Statement): DocumentSymbol {
  if (statement.kind === "Setting") return settingSymbols(analysis, statement)[0]!;
  const callee = statement.call.callee;
  const detail = textOf(analysis, { start: callee.span.end, end: statement.span.end });
  return makeSymbol(analysis, callee.name || "?", SymbolKind.Function, statement.span, callee.span, detail, []);
}

function makeSymbol(analysis: Analysis, name: string, kind: SymbolKind, span: Span, selection: Span, detail: string, children: DocumentSymbol[]): DocumentSymbol {
  // The selection must lie inside the range; recovery may leave a hole outside it.
  const inside = selection.start >= span.start && selection.end <= span.end ? selection : span;
  const symbol: DocumentSymbol = { name, kind, range: toRange(analysis.lines, span), selectionRange: toRange(analysis.lines, inside), children };
  if (detail) symbol.detail = detail;
  return symbol;
}

/** Source text with its whitespace collapsed, for one-line details. */
function textOf(analysis: Analysis, span: Span): string {
  return analysis.text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
}
