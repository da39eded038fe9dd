/** Matches a name against a pattern in which `*` stands for any run of characters. */
export function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return name === pattern;
  // Greedy two-pointer match: on a mismatch, only the last `*` seen takes one
  // more character, so the time is at most pattern × name, never exponential
  // as a backtracking regular expression's is on `a*a*a*…b`.
  let p = 0;
  let n = 0;
  let lastStar = -1;
  let starResumes = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === "*") {
      lastStar = p++;
      starResumes = n;
    } else if (p < pattern.length && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (lastStar >= 0) {
      p = lastStar + 1;
      n = ++starResumes;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** The test of {@link globMatch} for one pattern, for matching many names. */
export function globMatcher(pattern: string): (name: string) => boolean {
  return (name) => globMatch(pattern, name);
}
