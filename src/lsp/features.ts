import { completionFeature } from "./completion.js";
import { hoverFeature } from "./hover.js";
import { inlayHintsFeature } from "./inlay-hints.js";
import { signatureHelpFeature } from "./signature-help.js";
import { definitionFeature } from "./definition.js";
import { referencesFeature } from "./references.js";
import { renameFeature } from "./rename.js";
import { documentSymbolsFeature } from "./document-symbols.js";
import { foldingFeature } from "./folding.js";
import { semanticTokensFeature } from "./semantic-tokens.js";
import { formattingFeature } from "./formatting.js";
import { codeActionsFeature } from "./code-actions.js";
import { diagnosticsFeature } from "./diagnostics.js";
import type { Feature } from "./feature.js";

/** Every LSP feature the server offers, one file each. */
export const FEATURES: readonly Feature[] = [
  diagnosticsFeature,
  completionFeature,
  signatureHelpFeature,
  hoverFeature,
  inlayHintsFeature,
  definitionFeature,
  referencesFeature,
  renameFeature,
  documentSymbolsFeature,
  foldingFeature,
  semanticTokensFeature,
  formattingFeature,
  codeActionsFeature,
];
