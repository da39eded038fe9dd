import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.js";

const LOADED = await Promise.all(COMMANDS.map((entry) => entry.load()));

/** Where the meanings of a help's option lines start (`  --flag ARG   meaning`); a flag too long to share its line has none. */
function meaningColumns(help: string): Set<number> {
  const options = help.slice(help.indexOf("\nOptions:\n") + 1);
  return new Set([...options.matchAll(/^ {2}-\S.*? {2,}(?=\S)/gm)].map((match) => match[0].length));
}

it("loads, for each name `regc --help` lists, the command of that name", () => {
  expect(LOADED.map((command) => command.name)).toEqual(COMMANDS.map((entry) => entry.name));
});

describe.each(LOADED.map((command) => [command.name, command] as const))("regc %s --help", (name, command) => {
  it("names every flag the command takes", () => {
    for (const flag of Object.keys(command.flags)) expect(command.help, flag).toMatch(new RegExp(`[\\s[]${flag}[\\s\\]=]`));
  });

  it("names every value a flag of fixed values takes, as its refusal of another lists them", () => {
    for (const [flag, spec] of Object.entries(command.flags)) {
      if (spec.kind === "choice") for (const choice of spec.choices) expect(command.help, `${flag} ${choice}`).toMatch(new RegExp(`\\b${choice}\\b`));
    }
  });

  it("starts every option's meaning at one column", () => {
    const columns = meaningColumns(command.help);
    expect(columns.size, `columns ${[...columns].join(", ")} in \`regc ${name} --help\``).toBeLessThanOrEqual(1);
  });
});
