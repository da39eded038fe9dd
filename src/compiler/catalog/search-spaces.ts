import type { ArgSpec, FunctionSpec } from "./types.js";

/**
 * Search spaces: written where a value goes (`dropout(uniform(0.2, 0.6))`),
 * they make the spec a family of specs that `regc tune` searches. The
 * checker judges each point against the argument the space stands for.
 */

function bound(name: "low" | "high", doc: string): ArgSpec {
  return { name, type: { kind: "number" }, doc, required: true, positional: true };
}

export const SEARCH_SPACES: FunctionSpec[] = [
  {
    name: "choice",
    family: "search_space",
    doc: "One of the values listed: numbers (`choice(2, 3, 4)`) or words (`choice(relu, tanh)`). The only space `method grid` takes.",
    args: [{ name: "values", type: { kind: "range" }, doc: "The values to choose from, each valid where the space stands.", required: true, positional: true, variadic: true }],
  },
  {
    name: "uniform",
    family: "search_space",
    doc: "A number drawn uniformly from [low, high].",
    args: [bound("low", "The smallest value."), bound("high", "The largest value.")],
  },
  {
    name: "log_uniform",
    family: "search_space",
    doc: "A number whose logarithm is uniform on [log low, log high], for strengths that matter by order of magnitude (`l2(log_uniform(1e-6, 1e-2))`). Both bounds are positive.",
    args: [bound("low", "The smallest value, > 0."), bound("high", "The largest value.")],
  },
  {
    name: "int_uniform",
    family: "search_space",
    doc: "An integer drawn uniformly from low to high, both included; only where an integer is expected (`dense(int_uniform(32, 256))`).",
    args: [bound("low", "The smallest integer."), bound("high", "The largest integer.")],
  },
];
