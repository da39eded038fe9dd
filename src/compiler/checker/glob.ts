/** Matches a name against a pattern in which `*` stands for any run of characters. */
export function globMatch(pattern: string, name: string): boolean {
  return globMatcher(pattern)(name);
}

/** The test of {@link globMatch} for one pattern, built once for matching many names. */
export function globMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}
