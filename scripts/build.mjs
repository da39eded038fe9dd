// Bundles the CLI into one file, dist/regc.js: node then loads one module
// instead of chevrotain's hundreds, which is most of `regc check`'s start-up.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * fdir (under tinyglobby) requires picomatch from node_modules at load time
 * for its own `.glob()`, which tinyglobby never calls; left in, every
 * `regc check` would load five files outside the bundle.
 */
const fdirWithoutOptionalPicomatch = {
  name: "fdir-without-optional-picomatch",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      const patched = source.replace(/__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);/, "");
      if (patched === source) throw new Error(`${path} changed: update fdirWithoutOptionalPicomatch in scripts/build.mjs`);
      return { contents: patched, loader: "js" };
    });
  },
};

await build({
  entryPoints: [join(root, "src/cli/main.ts")],
  outfile: join(root, "dist/regc.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // Heavy and only for compile/run: loaded lazily by the commands that need
  // them, never on `regc check`'s path. The language server is bundled but
  // only evaluated by `regc lsp`.
  external: ["ts-morph", "prettier", "@tensorflow/*"],
  // CommonJS dependencies (the language server's) call `require` for node
  // built-ins, which an ES module lacks.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [fdirWithoutOptionalPicomatch],
  // The language server's protocol library calls require() for node built-ins; give the ESM bundle one.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
