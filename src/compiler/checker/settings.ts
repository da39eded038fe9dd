import type * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { SettingSpec } from "../catalog/types.js";
import type { CheckContext } from "./context.js";
import { didYouMean, nearest } from "./suggest.js";

/**
 * The statements of a `data` or `train` block, as settings: unknown keywords,
 * calls where a setting belongs, and repeated settings are reported here.
 */
export interface CollectedSettings {
  found: Array<{ setting: A.Setting; spec: SettingSpec }>;
  /** Settings a misspelled keyword most likely meant: not reported again as missing. */
  meant: Set<string>;
}

export function collectSettings(ctx: CheckContext, blockKind: "data" | "train", body: readonly A.Statement[]): CollectedSettings {
  const found: Array<{ setting: A.Setting; spec: SettingSpec }> = [];
  const meant = new Set<string>();
  const seen = new Map<string, A.Setting>();
  const names = catalog.settingsOf(blockKind).map((s) => s.name);
  for (const statement of body) {
    if (statement.kind === "CallStatement") {
      const callee = statement.call.callee.name;
      ctx.sink.report("REG1014", statement.span, {
        detail: `a \`${blockKind}\` block holds settings (\`KEYWORD VALUE\`), not calls like \`${callee}(…)\``,
      }, catalog.layer(callee) || catalog.technique(callee) ? { hint: `\`${callee}\` belongs in a \`${catalog.layer(callee) ? "model" : "regularize"}\` block` } : {});
      continue;
    }
    const keyword = statement.keyword;
    const spec = catalog.setting(blockKind, keyword.name);
    if (!spec) {
      const guess = nearest(keyword.name, names);
      if (guess) meant.add(guess);
      const other = blockKind === "data" ? "train" : "data";
      const elsewhere = catalog.setting(other, keyword.name) ? { hint: `\`${keyword.name}\` is a \`${other}\` setting` } : didYouMean(keyword.name, keyword.span, names);
      ctx.sink.report("REG1003", keyword.span, { block: blockKind, name: keyword.name }, elsewhere);
      continue;
    }
    const earlier = seen.get(spec.name);
    if (earlier && !spec.repeatable) {
      ctx.sink.report("REG5005", keyword.span, { name: spec.name }, { related: [{ span: earlier.keyword.span, message: "first set here" }] });
      continue;
    }
    seen.set(spec.name, statement);
    found.push({ setting: statement, spec });
  }
  return { found, meant };
}

/** Reports required settings that a block lacks. */
export function requireSettings(ctx: CheckContext, blockKind: "data" | "train", blockName: string, at: A.Block, present: ReadonlySet<string>, except: ReadonlySet<string> = new Set()): void {
  for (const spec of catalog.settingsOf(blockKind)) {
    if (!spec.required || present.has(spec.name) || except.has(spec.name)) continue;
    ctx.sink.report("REG2008", at.keyword, { block: blockKind, name: blockName, setting: spec.name }, { hint: spec.doc });
  }
}
