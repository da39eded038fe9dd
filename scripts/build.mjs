// Bundles the CLI into dist/: node then loads a few files instead of
// chevrotain's hundreds, which is most of `regc check`'s start-up.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { NODE_BUNDLE } from "./bundle-options.mjs";
import { readdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");

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

const result = await build({
  ...NODE_BUNDLE,
  // The runtime is an entry of its own: generated programs import it as
  // `reglang/runtime`, and `regc run` loads that same file.
  // `reglang/predict` in Node is one too.
  entryPoints: { regc: join(root, "src/cli/main.ts"), runtime: join(root, "src/runtime/index.ts"), "predict-node": join(root, "src/predict/node/index.ts") },
  outdir,
  // Code only one command needs (the language server) goes in its own
  // chunk, which `regc check` never loads.
  splitting: true,
  chunkNames: "[name]-[hash]",
  sourcemap: true,
  plugins: [fdirWithoutOptionalPicomatch],
  metafile: true,
});

// `reglang/predict` for pages: TensorFlow.js left to the page's bundler (predict.js), or
// included, for a page with no bundler (predict.browser.js, which `regc export` copies).
const browser = await Promise.all(
  [
    { outfile: "predict.js", external: ["@tensorflow/*"], minify: false },
    { outfile: "predict.browser.js", external: [], minify: true },
  ].map(({ outfile, external, minify }) =>
    build({
      entryPoints: [join(root, "src/predict/index.ts")],
      outfile: join(outdir, outfile),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2020",
      external,
      minify,
      metafile: true,
      logLevel: "warning",
    }),
  ),
);

// Chunk names change with their content: drop the previous build's.
const written = new Set([result, ...browser].flatMap((built) => Object.keys(built.metafile.outputs)).map((path) => relative(outdir, join(root, path))));
for (const name of await readdir(outdir)) {
  if (!written.has(name)) await rm(join(outdir, name), { recursive: true, force: true });
}

// Type declarations of `reglang/runtime`, so generated programs type-check with `tsc --strict`;
// written afresh (the old ones went above), so a source renamed or removed ships no declaration.
const declarations = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.runtime-types.json")], { stdio: "inherit" });
if (declarations.status !== 0) process.exit(declarations.status ?? 1);
