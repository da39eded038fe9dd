import type { MarkupContent, ParameterInformation, SignatureHelp, SignatureInformation } from "vscode-languageserver";
import type { ArgSpec } from "../compiler/catalog/index.js";
import type { Analysis } from "./analysis.js";
import { argOfSlot, callableOf, type Callable } from "./callables.js";
import { asMarkdown, asPlainText, readsPlainText } from "./catalog-markdown.js";
import { argDetail, valueText } from "../compiler/reference/entry-markdown.js";
import { cursorContext } from "./cursor-context.js";
import type { Feature } from "./feature.js";
import { toOffset } from "./positions.js";

/** How a parameter reads in a signature: `units`, `activation = none`, `shape…`. */
function parameterLabel(arg: ArgSpec): string {
  if (arg.variadic) return `${arg.name}…`;
  return arg.default === undefined ? arg.name : `${arg.name} = ${valueText(arg.default)}`;
}

function callableDoc(callable: Callable): string {
  return callable.kind === "technique" ? `${callable.spec.title} (book §${callable.spec.section}). ${callable.spec.doc}` : callable.spec.doc;
}

/** `dense(units, activation = none, use_bias = true)`, each parameter located by its offsets in the label. */
function signatureOf(callable: Callable): SignatureInformation {
  let label = `${callable.name}(`;
  const parameters: ParameterInformation[] = callable.args.map((arg, i) => {
    if (i > 0) label += ", ";
    const start = label.length;
    label += parameterLabel(arg);
    return { label: [start, label.length], documentation: asMarkdown(`\`${argDetail(arg)}\` — ${arg.doc}`) };
  });
  label += ")";
  return { label, parameters, documentation: asMarkdown(callableDoc(callable)) };
}

/** The signature of the innermost call around the cursor whose callee the catalog knows. */
export function signatureHelpAt(analysis: Analysis, offset: number): SignatureHelp | null {
  const context = cursorContext(analysis.text, offset);
  if (context.inert) return null;
  for (let i = context.calls.length - 1; i >= 0; i--) {
    const callable = callableOf(context, i);
    if (!callable) continue;
    const signature = signatureOf(callable);
    const slot = context.calls[i]!.slot;
    // A name being typed where no positional argument is left is the start of `name:`.
    const typed = i === context.calls.length - 1 && slot.valueTokens === 0 ? context.word.text : "";
    const givenByPosition = callable.args.filter((a) => a.positional).slice(0, slot.positionalBefore);
    const notGiven = (a: ArgSpec) => !slot.namesGiven.includes(a.name) && !givenByPosition.includes(a);
    // Else the name being typed; else, in an empty slot, the first argument still to give.
    const active =
      argOfSlot(callable.args, slot) ??
      (typed ? callable.args.find((a) => a.name.startsWith(typed) && notGiven(a)) : slot.valueTokens === 0 ? callable.args.find(notGiven) : undefined);
    // No parameter active is said by leaving it out: the protocol's 3.17 has no null for it.
    if (!active) return { signatures: [signature], activeSignature: 0 };
    signature.activeParameter = callable.args.indexOf(active);
    return { signatures: [signature], activeSignature: 0, activeParameter: signature.activeParameter };
  }
  return null;
}

export const signatureHelpFeature: Feature = {
  capabilities: { signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [":"] } },
  register({ connection, latestAnalysisOf, clientCapabilities }) {
    connection.onSignatureHelp(({ textDocument, position }) => {
      const analysis = latestAnalysisOf(textDocument.uri);
      const help = analysis ? signatureHelpAt(analysis, toOffset(analysis.lines, position)) : null;
      const plain = readsPlainText(clientCapabilities().textDocument?.signatureHelp?.signatureInformation?.documentationFormat);
      return help && plain ? { ...help, signatures: help.signatures.map(plainSignature) } : help;
    });
  },
};

/** A signature for a client that reads its documentation as plain text. */
function plainSignature(signature: SignatureInformation): SignatureInformation {
  const plain = (documentation: string | MarkupContent | undefined) => (documentation === undefined || typeof documentation === "string" ? documentation : asPlainText(documentation));
  return { ...signature, documentation: plain(signature.documentation), parameters: signature.parameters?.map((p) => ({ ...p, documentation: plain(p.documentation) })) };
}
