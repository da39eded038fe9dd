import { blockBody, type Block, type SpecFile, type Statement } from "../compiler/syntax/ast.js";
import { containsOffset } from "./positions.js";

/**
 * Finds nodes of the parsed spec around an offset. Completion reads the text
 * before the cursor; these tell it what the rest of a block or setting
 * already holds, so it does not offer a setting or a column twice.
 */

function blockAt(ast: SpecFile, offset: number): Block | undefined {
  return ast.blocks.find((b) => containsOffset(b.span, offset));
}

/** The statements of the block around the offset, except the one the offset is in. */
export function otherStatements(ast: SpecFile, offset: number): Statement[] {
  const block = blockAt(ast, offset);
  return block ? blockBody(block).filter((s) => !containsOffset(s.span, offset)) : [];
}

/** The setting or call statement around the offset. */
export function statementAt(ast: SpecFile, offset: number): Statement | undefined {
  const block = blockAt(ast, offset);
  return block && blockBody(block).find((s) => containsOffset(s.span, offset));
}

/** The words a setting lists (`features a, "b c"`): names and strings, as written values. */
export function listedWords(statement: Statement | undefined, offset: number): string[] {
  if (statement?.kind !== "Setting") return [];
  return statement.args.flatMap((a) => {
    const value = a.value;
    if (!value || containsOffset(a.span, offset)) return [];
    if (value.kind === "String") return [value.value];
    return value.kind === "Ref" && value.segments.length === 1 ? [value.segments[0]!.name] : [];
  });
}
