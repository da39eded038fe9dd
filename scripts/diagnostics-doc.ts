import { ALL_CODES, MESSAGES } from "../src/compiler/diagnostics/messages.js";
import { findErrorExamples } from "../src/cli/error-examples.js";

/** The thousands of a code say what it is about (see messages.ts). */
const GROUPS: Record<string, string> = {
  "0": "Syntax",
  "1": "Names and references",
  "2": "Values",
  "3": "Shapes",
  "4": "Applicability",
  "5": "Structure of the spec",
  "6": "Data sources",
  "7": "Compilation",
};

/** docs/diagnostics.md, generated from the message table and examples/errors/. */
export function renderDiagnosticsDoc(root: string): string {
  const out = [
    "# Diagnostics",
    "",
    "<!-- Generated from src/compiler/diagnostics/messages.ts and examples/errors/ by `npm run docs`; do not edit. -->",
    "",
    "Every diagnostic `regc check` reports has a stable code: `REG` and four digits, grouped by thousand.",
    "`regc explain CODE` prints the same explanation in a terminal, with what `regc check` reports on the example.",
    "",
    "| code | title | severity |",
    "|---|---|---|",
    ...ALL_CODES.map((code) => `| [${code}](#${code.toLowerCase()}) | ${MESSAGES[code].title} | ${MESSAGES[code].severity} |`),
  ];
  let group: string | undefined;
  for (const code of ALL_CODES) {
    const message = MESSAGES[code];
    const thousand = code.charAt(3);
    if (thousand !== group) {
      group = thousand;
      out.push("", `## ${GROUPS[thousand] ?? `REG${thousand}xxx`}`);
    }
    out.push("", `<a id="${code.toLowerCase()}"></a>`, "", `### ${code}: ${message.title}`, "", `**Severity:** ${message.severity}`, "", message.explanation);
    const [example, ...more] = findErrorExamples(root, code);
    if (example) out.push("", `Example ([\`${example.path}\`](../${example.path})):`, "", "```reg", example.text.trimEnd(), "```");
    if (more.length > 0) out.push("", `More examples: ${more.map((m) => `[\`${m.path.slice("examples/errors/".length)}\`](../${m.path})`).join(", ")}.`);
  }
  return `${out.join("\n")}\n`;
}
