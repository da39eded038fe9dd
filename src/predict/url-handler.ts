import * as tf from "@tensorflow/tfjs";
import { readManifestWeights, WeightsFileError } from "../runtime/run/manifest-weights.js";
import { InputError } from "./input-error.js";

/**
 * Loads `model.json` and the weights it lists by URL. A response that is not
 * the file (a server's 404 page) is refused, as are weights of another size
 * than the manifest lists: tfjs's own loader would read either as weights.
 */
export function urlHandler(url: URL): tf.io.IOHandler {
  return {
    load: async () => {
      const text = await (await fetchFile(url)).text();
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch {
        throw new InputError(`${url.href} is not a model.json: it is not JSON`);
      }
      const weightsUrl = (path: string) => new URL(path, url).href;
      try {
        return await tf.io.getModelArtifactsForJSON(json, (manifest) => readManifestWeights(manifest, async (path) => (await fetchFile(new URL(path, url))).arrayBuffer(), weightsUrl));
      } catch (error) {
        if (error instanceof WeightsFileError) throw new InputError(error.message);
        throw error;
      }
    },
  };
}

async function fetchFile(url: URL): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`cannot fetch ${url.href}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new InputError(`cannot fetch ${url.href}: the server answered ${`${response.status} ${response.statusText}`.trim()}`);
  return response;
}
