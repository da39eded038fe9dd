/**
 * How much memory training one model may take before `regc check` refuses
 * it (REG3008): 2 GiB, by the estimate in `checker/memory.ts`. Overridden by
 * `--memory-budget SIZE` on `regc check`, `compile` and `run`.
 */
export const DEFAULT_MEMORY_BUDGET = 2 * 1024 ** 3;
