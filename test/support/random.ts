export { uniformStream as seededRandom } from "../../src/runtime/random.js";

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
