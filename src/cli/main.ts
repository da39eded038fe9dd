import { WholeNumberError } from "../shared/whole-number.js";
import { parseArgs } from "./args.js";
import type { Output } from "./command.js";
import { COMMANDS } from "./commands.js";
import { EXIT_CODE_MEANINGS, ExitCode } from "./exit-codes.js";
import { packageVersion } from "./package-root.js";
import { UsageError } from "./usage-error.js";

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  const exitCodes = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `  ${code}  ${meaning}`).join("\n");
  return `regc — the compiler for .reg specs

Usage: regc COMMAND [OPTIONS] FILES…

Commands:
${commands}

Options:
  -h, --help  show help; \`regc COMMAND --help\` for one command
  --version   print the version

Exit codes:
${exitCodes}
`;
}

/** Runs one command line; every outcome, a bug included, becomes an exit code. */
async function main(argv: readonly string[], output: Output): Promise<ExitCode> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      output.stderr(overview());
      return ExitCode.Usage;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      const topic = COMMANDS.find((c) => c.name === rest[0]);
      output.stdout(topic ? (await topic.load()).help : overview());
      return ExitCode.Ok;
    }
    if (name === "--version") {
      output.stdout(`regc ${packageVersion()}\n`);
      return ExitCode.Ok;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) {
      const known = COMMANDS.map((c) => c.name).join(", ");
      throw new UsageError(`unknown command \`${name}\`; the commands are ${known} (see \`regc --help\`)`);
    }
    const command = await entry.load();
    const args = parseArgs(rest, command.flags, command.name);
    if (args.switches.has("--help")) {
      output.stdout(command.help);
      return ExitCode.Ok;
    }
    return await command.run(args, output);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WholeNumberError) {
      output.stderr(`regc: error: ${error.message}\n`);
      return ExitCode.Usage;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.stderr(
      `regc: internal error, please report it with the command and the spec that caused it\n` +
        `(NODE_OPTIONS=--enable-source-maps maps the stack below to src/):\n${detail}\n`,
    );
    return ExitCode.Internal;
  }
}

const processOutput: Output = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

// A reader that stops early (`regc check … | head`) is not an error: the
// command ends there, unless it watches its readers itself (a run stops
// after its step, with a checkpoint, runtime/session/reader-watch.ts).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (stream.listenerCount("error") > 1) return;
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? ExitCode.Ok);
  });
}

process.exitCode = await main(process.argv.slice(2), processOutput);
