import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeFolders } from "../../shared/make-folders.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { loadModelFolder, modelFolder } from "./model-folder.js";
import { exportReadme } from "./export-readme.js";

/** The browser bundle of `reglang/predict` (TensorFlow.js included) that an export's page loads. */
export const BROWSER_BUNDLE = "reglang-predict.js";

/**
 * Writes a self-contained folder from a run (or export) folder: the model
 * (`model.json`, `weights.bin`), a README stating its inputs and outputs,
 * and a page (`index.html` with `reglang-predict.js`) that predicts in the
 * browser. Returns what it wrote.
 */
export async function writeExportFolder(source: string, target: string, browserBundle: string | undefined): Promise<string[]> {
  const predictor = await loadModelFolder(source);
  predictor.model.dispose();
  const from = modelFolder(source);
  makeFolders(target);
  const written = ["model.json", "weights.bin"];
  for (const file of written) copyFileSync(join(from, file), join(target, file));
  writeFileAtomically(join(target, "README.md"), exportReadme(predictor.metadata, source));
  written.push("README.md");
  if (browserBundle !== undefined && existsSync(browserBundle)) {
    writeFileAtomically(join(target, BROWSER_BUNDLE), readFileSync(browserBundle));
    writeFileAtomically(join(target, "index.html"), demoPage(predictor.metadata.input.kind));
    written.push(BROWSER_BUNDLE, "index.html");
  }
  return written;
}

/** A page that loads the model beside it and predicts what the user gives it: rows as CSV text, or image files. */
function demoPage(kind: "table" | "image"): string {
  const field = kind === "image" ? '<input id="input" type="file" accept="image/png,image/jpeg" multiple>' : '<textarea id="input" rows="8" cols="80" placeholder="CSV: a header row naming the columns, then one row per example"></textarea>';
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>reglang model</title>
<h1>Predict</h1>
<p>${field}</p>
<p><button id="go">Predict</button></p>
<pre id="out"></pre>
<script>
// A browser runs no module and fetches nothing for a page opened from a file, so the page below would do nothing.
if (location.protocol === "file:") {
  document.getElementById("out").textContent = "This page loads its model over http, which a browser does not allow a page opened from a file: serve this folder, e.g. run \`python3 -m http.server 8080\` in it, then open http://localhost:8080/";
}
</script>
<script type="module">
import { loadPredictor, readCsvTable } from "./${BROWSER_BUNDLE}";
const out = document.getElementById("out");
const loading = loadPredictor("model.json").catch((error) => {
  throw new Error(\`cannot load the model: \${error.message ?? error}\`);
});
loading.catch((error) => (out.textContent = [out.textContent, error.message].filter(Boolean).join("\\n")));
const show = (predictions) => (out.textContent = JSON.stringify(predictions, null, 2));
document.getElementById("go").onclick = async () => {
  try {
    const predictor = await loading;
    const input = document.getElementById("input");
    if (input.type === "file") {
      const files = [...input.files];
      const images = await Promise.all(files.map(async (file) => {
        const bitmap = await createImageBitmap(file);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0);
        const { width, height, data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        return { width, height, channels: 4, data };
      }));
      show(predictor.predictImages(images, { imageName: (i) => files[i].name }));
    } else {
      const { rows, columns, names } = readCsvTable(input.value, "the input");
      show(predictor.predictRows(rows, { columns, rowName: (i) => names[i] }));
    }
  } catch (error) {
    out.textContent = String(error.message ?? error);
  }
};
</script>
</html>
`;
}
