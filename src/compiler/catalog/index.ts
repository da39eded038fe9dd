import type { BlockSpec, FunctionFamily, FunctionSpec, LayerSpec, SettingBlock, SettingSpec, TechniqueSpec } from "./types.js";
import { LAYERS } from "./layers.js";
import { TECHNIQUES } from "./techniques.js";
import { SETTINGS } from "./settings.js";
import { FUNCTIONS } from "./functions.js";
import { BLOCKS } from "./blocks.js";

export * from "./types.js";
export { BLOCKS, LAYERS, TECHNIQUES, SETTINGS, FUNCTIONS };

const layersByName = new Map(LAYERS.map((l) => [l.name, l]));
const techniquesByName = new Map(TECHNIQUES.map((t) => [t.name, t]));

export function layer(name: string): LayerSpec | undefined {
  return layersByName.get(name);
}

export function technique(name: string): TechniqueSpec | undefined {
  return techniquesByName.get(name);
}

export function setting(block: SettingBlock, name: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.block === block && s.name === name);
}

export function settingsOf(block: SettingBlock): SettingSpec[] {
  return SETTINGS.filter((s) => s.block === block);
}

export function fn(family: FunctionFamily, name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.family === family && f.name === name);
}

export function functionsOf(family: FunctionFamily): FunctionSpec[] {
  return FUNCTIONS.filter((f) => f.family === family);
}
export { DEFAULT_MEMORY_BUDGET } from "./limits.js";

export function block(name: string): BlockSpec | undefined {
  return BLOCKS.find((b) => b.name === name);
}
