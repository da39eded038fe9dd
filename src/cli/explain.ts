import { join } from "node:path";
import { ALL_CODES, check, MESSAGES, type Code } from "../compiler/index.js";
import { editDistance, nearest } from "../compiler/checker/suggest.js";
import { renderText } from "../compiler/diagnostics/render/text.js";
import type { Command } from "./command.js";
import { catalogNames, entriesNamed, valueOwners } from "../compiler/reference/lookup.js";
import { findErrorExample } from "./error-examples.js";
import { ExitCode } from "./exit-codes.js";
import { packageRoot } from "./package-root.js";
import { UsageError } from "./usage-error.js";

export const explainCommand: Command = {
  name: "explain",
  help: `Usage: regc explain CODE
       regc explain NAME

Explain a diagnostic code (REG1002, or reg1002): what it means, its
severity, and an example spec that triggers it with what \`regc check\`
reports on it. Every code is also in docs/diagnostics.md.

Or show the reference entry of a block, setting, layer, function or
technique (dense, normalize, adam, l2): its arguments with their types,
defaults and ranges, its formula and book section. Every entry is also in
docs/reference.md. For a value (relu, drop), where it is written.
`,
  flags: {},
  async run(args, output) {
    const [given, ...extra] = args.positionals;
    if (given === undefined || extra.length > 0) throw new UsageError("`regc explain` takes one code or name, e.g. `regc explain REG1002` or `regc explain dense`");
    const entries = entriesNamed(given);
    if (entries.length > 0) {
      output.stdout(`${entries.map(terminalText).join("\n\n---\n\n")}\n`);
      return ExitCode.Ok;
    }
    const owners = valueOwners(given);
    if (owners.length > 0) {
      output.stdout(`\`${given}\` is a value of ${owners.map((owner) => owner.where).join(", ")}; see \`regc explain ${owners[0]!.entry}\`\n`);
      return ExitCode.Ok;
    }
    const code = given.toUpperCase();
    if (!isCode(code)) {
      if (/^REG\d/.test(code)) throw new UsageError(`unknown diagnostic code \`${given}\`; did you mean ${nearestCode(code)}? (every code is in docs/diagnostics.md)`);
      const near = nearest(given, catalogNames());
      throw new UsageError(`\`${given}\` is neither a diagnostic code nor a name of the language${near === undefined ? "" : `; did you mean \`${near}\`?`} (every name is in docs/reference.md)`);
    }
    const message = MESSAGES[code];
    const sections = [`${code}: ${message.title}\nseverity: ${message.severity}`, wrap(message.explanation, 78)];
    const root = packageRoot();
    const example = findErrorExample(root, code);
    if (example) {
      const { diagnostics } = check(example.text, { path: join(root, example.path) });
      const indented = example.text.trimEnd().replace(/^(?=.)/gm, "    ");
      sections.push(`Example (${example.path}):\n\n${indented}`);
      sections.push(`\`regc check\` reports:\n\n${renderText([{ ...example, diagnostics }], { color: output.color }).trimEnd()}`);
    }
    output.stdout(`${sections.join("\n\n")}\n`);
    return ExitCode.Ok;
  },
};

function isCode(text: string): text is Code {
  return Object.hasOwn(MESSAGES, text);
}

/** The closest code by spelling; among equals, the closest by number. */
function nearestCode(text: string): Code {
  const number = Number(text.replace(/^REG/, ""));
  const distance = (code: Code) => editDistance(text, code);
  const gap = (code: Code) => (Number.isNaN(number) ? 0 : Math.abs(Number(code.slice(3)) - number));
  return [...ALL_CODES].sort((a, b) => distance(a) - distance(b) || gap(a) - gap(b))[0]!;
}

/** A reference entry's markdown for a terminal: no bold markers, code blocks indented. */
function terminalText(markdown: string): string {
  return markdown
    .replace(/\*\*/g, "")
    .replace(/```\w*\n([\s\S]*?)\n```/g, (_, code: string) => code.replace(/^/gm, "    "));
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n");
}
