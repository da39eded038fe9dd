/**
 * A generated program with its types erased and nothing else changed: what
 * `node` runs directly (`regc compile` writes it beside the TypeScript) and
 * what `regc run` imports.
 */
export async function eraseTypes(code: string): Promise<string> {
  const { ts } = await import("ts-morph");
  return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}
