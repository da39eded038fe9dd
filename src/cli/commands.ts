import type { CommandEntry } from "./command.js";

/**
 * Every `regc` command, in the order `regc --help` lists them. A command's
 * code, and all it imports, loads only when that command runs: `regc check`
 * never reads the code of training, experiments or the language server.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "check", summary: "parse and type-check specs: names, shapes, ranges, applicability", load: async () => (await import("./check.js")).checkCommand },
  { name: "compile", summary: "write a spec's training program as TypeScript for TensorFlow.js", load: async () => (await import("./compile.js")).compileCommand },
  { name: "run", summary: "compile a spec and train it: progress, metrics, saved model, report", load: async () => (await import("./run.js")).runCommand },
  { name: "export", summary: "write a trained model as a self-contained TensorFlow.js folder", load: async () => (await import("./export.js")).exportCommand },
  { name: "predict", summary: "predict with a trained model from CSV or JSON rows, or images", load: async () => (await import("./predict.js")).predictCommand },
  { name: "fmt", summary: "rewrite specs in the one canonical layout, comments kept", load: async () => (await import("./fmt.js")).fmtCommand },
  { name: "explain", summary: "the long explanation of a diagnostic code, or the reference entry of a name", load: async () => (await import("./explain.js")).explainCommand },
  { name: "lsp", summary: "run the language server over stdio (for editors)", load: async () => (await import("./lsp.js")).lspCommand },
  { name: "ablate", summary: "train the spec with each regularize clause removed, over several seeds: which clauses help?", load: async () => (await import("./ablate.js")).ablateCommand },
  { name: "tune", summary: "search the spec's search spaces on validation data and write best.reg", load: async () => (await import("./tune.js")).tuneCommand },
  { name: "worker", summary: "take trials of experiments from a queue on Redis and run them", load: async () => (await import("./worker.js")).workerCommand },
];
