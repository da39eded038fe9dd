import type * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { SettingBlock, SettingSpec } from "../catalog/types.js";
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

export function collectSettings(ctx: CheckContext, blockKind: SettingBlock, body: readonly A.Statement[]): CollectedSettings {
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
      const other = SETTING_BLOCKS.find((b) => b !== blockKind && catalog.setting(b, keyword.name));
      const elsewhere = other ? { hint: `\`${keyword.name}\` is a \`${other}\` setting` } : didYouMean(keyword.name, keyword.span, names);
      ctx.sink.report("REG1003", keyword.span, { block: blockKind, name: keyword.name }, elsewhere);
      continue;
    }
    const earlier = seen.get(spec.name);
    if (earlier && !spec.repeatable) {
      ctx.sink.report("REG5005", keyword.span, { name: spec.name }, { related: [{ span: earlier.keyword.span, message: "first set here" }] });
      continue;
    }
    seen.set(spec.name, statement);
    // A wrong word before the value is reported; the value is still judged on its own.
    checkQualifier(ctx, statement, spec);
    found.push({ setting: statement, spec });
  }
  return { found, meant };
}

const SETTING_BLOCKS: readonly SettingBlock[] = ["data", "train", "tune"];

/** The word between keyword and value (`objective maximize …`): present exactly where the setting takes one. */
function checkQualifier(ctx: CheckContext, setting: A.Setting, spec: SettingSpec): void {
  const { qualifier, keyword } = setting;
  const words = spec.qualifiers ?? [];
  if (words.length === 0) {
    if (qualifier) ctx.sink.report("REG0001", qualifier.span, { detail: `\`${spec.name}\` takes no word before its value: separate values with commas` });
    return;
  }
  const example = `${spec.name} ${words[0]} …`;
  if (!qualifier) {
    ctx.sink.report("REG0001", keyword.span, { detail: `\`${spec.name}\` starts with ${words.map((w) => `\`${w}\``).join(" or ")}: \`${example}\`` });
  } else if (!words.includes(qualifier.name)) {
    ctx.sink.report("REG1010", qualifier.span, { value: qualifier.name, what: `word after \`${spec.name}\`` }, didYouMean(qualifier.name, qualifier.span, words));
  }
}

/** Reports required settings that a block lacks; a block written without a name (`train { … }`) is called `the \`train\` block`. */
export function requireSettings(ctx: CheckContext, blockKind: SettingBlock, blockName: string | undefined, at: A.Block, present: ReadonlySet<string>, except: ReadonlySet<string> = new Set()): void {
  const block = blockName === undefined ? `the \`${blockKind}\` block` : `${blockKind} \`${blockName}\``;
  // A comment never closed inside the block (before its `}`) hides what follows it: a setting may be there.
  if (ctx.unreadFrom !== undefined && at.span.start < ctx.unreadFrom && !ctx.text.slice(at.span.start, ctx.unreadFrom).includes("}")) return;
  for (const spec of catalog.settingsOf(blockKind)) {
    if (!spec.required || present.has(spec.name) || except.has(spec.name)) continue;
    ctx.sink.report("REG2008", at.keyword, { block, setting: spec.name }, { hint: spec.doc });
  }
}
