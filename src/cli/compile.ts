import { basename, join, resolve } from "node:path";
import { writeFileAtomically } from "../shared/write-file-atomically.js";
import type { Command } from "./command.js";
import { CHECK_FLAGS, checkFlagsHelp, checkOptionsOf } from "./check-options.js";
import { compileSpec } from "./compile-spec.js";
import { makeFolders } from "../shared/make-folders.js";
import { ExitCode } from "./exit-codes.js";
import { isModulePackage } from "./module-scope.js";
import { runtimeResolvesFrom } from "./runtime-resolves.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { eraseTypes } from "./transpile.js";
import { UsageError } from "./usage-error.js";

export const compileCommand: Command = {
  name: "compile",
  get help() {
    return `Usage: regc compile SPEC [-o FOLDER]

Check SPEC and write its training program, FOLDER/NAME.ts (FOLDER is
\`out\` unless given): readable, strict TypeScript that imports only
\`reglang/runtime\`; NAME.mts instead where FOLDER's package is CommonJS, so
that it stays an ES module. Beside it, FOLDER/NAME.mjs is the same program
with its types erased: run it with \`node FOLDER/NAME.mjs\` in a project
that has reglang installed (a warning says when FOLDER's has not), or use
\`regc run\`. The same spec always gives the same files.

Options:
  -o, --out FOLDER           where to write the program (default: out)
${checkFlagsHelp()}
  -h, --help                 show this help

Exit codes: 0 written, 1 the spec has errors or cannot be compiled yet,
2 usage or I/O error.
`;
  },
  flags: { "--out": { kind: "value", meaning: "a folder", alias: "-o" }, ...CHECK_FLAGS },
  async run(args, output) {
    const outDir = resolve(args.values.get("--out") ?? "out");
    const compiled = await compileSpec(args.positionals, outDir, output, "compile", checkOptionsOf(args));
    if (!compiled.ok) return ExitCode.SpecErrors;
    const name = basename(compiled.fileName, ".ts");
    const typescript = join(outDir, `${name}${isModulePackage(outDir) ? ".ts" : ".mts"}`);
    const javascript = join(outDir, `${name}.mjs`);
    const files: Array<[string, string]> = [
      [typescript, compiled.code],
      [javascript, await eraseTypes(compiled.code)],
    ];
    for (const [target, text] of files) {
      try {
        makeFolders(outDir);
        writeFileAtomically(target, text);
      } catch (error) {
        throw new UsageError(`cannot write ${target}: ${describeIoError(error)}; give -o a folder you can write to (it is made if missing)`);
      }
      output.stdout(`wrote ${target}\n`);
    }
    if (!runtimeResolvesFrom(outDir)) {
      output.stderr(
        `regc: warning: node cannot run ${javascript} yet: it imports reglang/runtime, and reglang is not installed in ${outDir} or a folder above it; ` +
          `run \`npm install reglang\` in that project, or train with \`regc run ${args.positionals[0]}\`\n`,
      );
    }
    return ExitCode.Ok;
  },
};
