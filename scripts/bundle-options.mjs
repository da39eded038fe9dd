// What every bundle of regc's code shares, so the bench times the code users run.
export const NODE_BUNDLE = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // TensorFlow.js loads its bindings and wasm files at run time, from its own package.
  // ts-morph and prettier are large and loaded only by `compile` and `run`: from node_modules.
  external: ["@tensorflow/*", "ts-morph", "prettier"],
  // CommonJS dependencies (the language server's) call `require` for node
  // built-ins, which an ES module lacks.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // The grammar is validated by the tests; the shipped parser skips re-checking it at every start.
  define: { "process.env.REGLANG_TRUSTED_GRAMMAR": '"1"' },
  // Less text for node to parse at every start; names are kept, so stacks stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
};
