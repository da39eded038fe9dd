export { seededRandom } from "../../scripts/seeded-random.js";

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
