import * as catalog from "../catalog/index.js";
import type { FunctionFamily, SettingBlock } from "../catalog/index.js";
import { blockMarkdown, callableMarkdown, settingMarkdown } from "./entry-markdown.js";

/** One section of the reference: a heading, a sentence, and its entries (anchor id, name, markdown). */
interface Section {
  title: string;
  intro: string;
  entries: Array<{ id: string; name: string; markdown: string }>;
}

const FAMILIES: Array<{ family: FunctionFamily; title: string; intro: string }> = [
  { family: "source", title: "Data sources", intro: "The value of a data block's `source` setting." },
  { family: "input_type", title: "Input types", intro: "The value of a data block's `input` setting." },
  { family: "target_type", title: "Target types", intro: "What follows `NAME =` in a data block's `target` setting." },
  { family: "task", title: "Task kinds", intro: "What follows `task NAME =`; each reports `loss` and the metrics listed." },
  { family: "optimizer", title: "Optimizers", intro: "The value of a train block's `optimizer` setting; a bare name takes every default." },
  { family: "schedule", title: "Learning-rate schedules", intro: "The value of a train block's `schedule` setting." },
  { family: "transform", title: "Transforms", intro: "What an `along` clause follows (`tangent_prop`, `tangent_distance`)." },
  { family: "tie_operand", title: "Tie operands", intro: "What `tie` may take in place of a parameter." },
  { family: "search_space", title: "Search spaces", intro: "Written where a value goes, for `regc tune` to search (see the `tune` block)." },
];

const SETTING_BLOCK_TITLES: Partial<Record<SettingBlock, string>> = { data: "Data", train: "Train", tune: "Tune" };

function sections(): Section[] {
  const settings = (block: SettingBlock): Section => ({
    title: `${SETTING_BLOCK_TITLES[block] ?? block} settings`,
    intro: `The statements of a \`${block}\` block: \`KEYWORD VALUE\`.`,
    entries: catalog.settingsOf(block).map((spec) => ({ id: `${block}-${spec.name}`, name: spec.name, markdown: settingMarkdown(spec) })),
  });
  const bySection = [...catalog.TECHNIQUES].sort((a, b) => Number(a.section.split(".")[1]) - Number(b.section.split(".")[1]));
  return [
    { title: "Blocks", intro: "A spec is a sequence of these, in any order.", entries: catalog.BLOCKS.map((spec) => ({ id: `block-${spec.name}`, name: spec.name, markdown: blockMarkdown(spec) })) },
    ...[...new Set(catalog.SETTINGS.map((s) => s.block))].map(settings),
    {
      title: "Layers",
      intro: "The statements of a `model` block, `[NAME =] KIND(ARGS)`. Shapes leave out the batch axis.",
      entries: catalog.LAYERS.map((spec) => ({ id: `layer-${spec.name}`, name: spec.name, markdown: callableMarkdown({ kind: "layer", spec }) })),
    },
    // Every family the catalog has, in FAMILIES' order; one it does not list still gets its section.
    ...[...FAMILIES, ...unlistedFamilies()].map(({ family, title, intro }) => ({
      title,
      intro,
      entries: catalog.functionsOf(family).map((spec) => ({ id: `${family.replace("_", "-")}-${spec.name}`, name: spec.name, markdown: callableMarkdown({ kind: "function", spec }) })),
    })),
    {
      title: "Techniques",
      intro: "The statements of a `regularize` block, in the order of chapter 7 of Goodfellow, Bengio & Courville, *Deep Learning* (2016).",
      entries: bySection.map((spec) => ({ id: `technique-${spec.name}`, name: spec.name, markdown: callableMarkdown({ kind: "technique", spec }) })),
    },
  ];
}

function unlistedFamilies(): Array<{ family: FunctionFamily; title: string; intro: string }> {
  const listed = new Set(FAMILIES.map((f) => f.family));
  return [...new Set(catalog.FUNCTIONS.map((f) => f.family))].filter((family) => !listed.has(family)).map((family) => ({ family, title: family.replace("_", " "), intro: "" }));
}

function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** docs/reference.md: every entry of the catalog, grouped by where it is written. */
export function renderReferenceDoc(): string {
  const all = sections();
  const out = [
    "# Language reference",
    "",
    "<!-- Generated from src/compiler/catalog by `npm run docs`; do not edit. -->",
    "",
    "Every block, setting, layer, function and technique of `.reg`, with its arguments (type, default, range), formula and book section.",
    "The editor's hover and `regc explain NAME` show the same entries; diagnostics are in [diagnostics.md](diagnostics.md).",
    "",
    "Units: an angle takes `deg` (`15deg`), a length `px` or `%` of the image side (`2px`, `10%`), and a fraction — any argument whose range lies in [0, 1] — `%` (`dropout(50%)` is `dropout(0.5)`). Other numbers take no unit.",
    "",
    ...all.map((section) => `- [${section.title}](#${anchor(section.title)}): ${section.entries.map((entry) => `[\`${entry.name}\`](#${entry.id})`).join(", ")}`),
  ];
  for (const section of all) {
    out.push("", `## ${section.title}`, "", section.intro);
    for (const entry of section.entries) out.push("", `<a id="${entry.id}"></a>`, "", `### \`${entry.name}\``, "", entry.markdown);
  }
  return `${out.join("\n")}\n`;
}
