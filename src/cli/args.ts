import { UsageError } from "./usage-error.js";

/**
 * A flag is a switch (`--quiet`), takes one of a fixed set of values
 * (`--format json`), or takes any value, described for messages
 * (`--out FOLDER`). `alias` is a short spelling (`-o`).
 */
export type FlagSpec = ({ kind: "switch" } | { kind: "choice"; choices: readonly string[] } | { kind: "value"; meaning: string }) & { alias?: `-${string}` };

export type FlagTable = Record<`--${string}`, FlagSpec>;

export interface ParsedArgs {
  positionals: string[];
  /** Switches given, and `--help`/`-h`. */
  switches: Set<string>;
  values: Map<string, string>;
}

/**
 * Hand-rolled on purpose: a handful of flags, no framework to load at
 * start-up. Accepts `--flag value`, `--flag=value` and `--` to end flags.
 * A flag given twice with different values is refused rather than one
 * value silently dropped (`--allow-data a --allow-data b` would lose `a`).
 */
export function parseArgs(argv: readonly string[], flags: FlagTable, command: string): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], switches: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      parsed.switches.add("--help");
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      parsed.positionals.push(arg);
      continue;
    }
    const [written, inlineValue] = splitFlag(arg);
    const name = Object.entries(flags).find(([, spec]) => spec.alias === written)?.[0] ?? written;
    const spec = flags[name as `--${string}`];
    if (!spec) throw new UsageError(`unknown option \`${name}\` for \`regc ${command}\` (see \`regc ${command} --help\`)`);
    if (spec.kind === "switch") {
      if (inlineValue !== undefined) throw new UsageError(`option \`${name}\` takes no value`);
      parsed.switches.add(name);
      continue;
    }
    const value = inlineValue ?? argv[++i];
    const expected = spec.kind === "choice" ? spec.choices.join(", ") : spec.meaning;
    if (value === undefined) throw new UsageError(`option \`${name}\` needs a value: ${expected}`);
    if (spec.kind === "choice" && !spec.choices.includes(value)) {
      throw new UsageError(`option \`${name}\` must be one of ${spec.choices.join(", ")}, not \`${value}\``);
    }
    const earlier = parsed.values.get(name);
    if (earlier !== undefined && earlier !== value) {
      throw new UsageError(`option \`${name}\` is given twice, \`${earlier}\` and then \`${value}\`; give it once: ${expected}`);
    }
    parsed.values.set(name, value);
  }
  return parsed;
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf("=");
  return equals < 0 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}
