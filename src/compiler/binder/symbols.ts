import type { Span } from "../syntax/span.js";

/**
 * Every name of a spec bound to what it names. The checker declares each
 * name where the spec declares it and records each reference where it
 * resolves one, so the language server answers definition, references,
 * rename and hover from the same resolution that checking used.
 */

export type SymbolKind = "data" | "model" | "layer" | "param" | "task" | "target" | "split" | "column" | "metric";

export interface Declaration {
  kind: SymbolKind;
  name: string;
  /** What the name belongs to: a layer's model, a parameter's layer, a target's, split's or column's data, a metric's model. */
  owner?: Declaration;
  /**
   * Where the spec writes the name. Absent for names the spec does not
   * declare itself: a layer's parameters (its kind has them), a data file's
   * columns, the metrics a run reports.
   */
  span?: Span;
}

export interface Reference {
  span: Span;
  declaration: Declaration;
}

/**
 * A glob written where a reference stands (`*.kernel`, `conv*`), bound to
 * what it matched when the checker resolved it: it names no one
 * declaration, so it is kept beside the references.
 */
export interface GlobReference {
  span: Span;
  /** As written: `*.kernel`. */
  pattern: string;
  /** What it is matched against: the model's parameters or its layers. */
  kind: "param" | "layer";
  model: Declaration;
  /** What it matched, in the model's order: `LAYER.PARAM` names (an unnamed layer's as `KIND_INDEX`) or layer names. */
  matches: readonly string[];
}

/** A name under an offset: a declaration (its own span) or a reference to one. */
export interface SymbolHit {
  declaration: Declaration;
  span: Span;
  isDeclaration: boolean;
}

/** How many hits may hold one offset: a metric, the task named inside it, and a reference resolved twice. */
const NESTING = 3;

/**
 * Declarations the spec does not write, one per owner, kind and name. Kept
 * with the owner rather than in one table, so every table that binds
 * against the same owner (a later check reusing a block's part, a rebind)
 * refers to the same declaration.
 */
const impliedByOwner = new WeakMap<Declaration, Map<string, Declaration>>();

export class SymbolTable {
  readonly declarations: Declaration[] = [];
  readonly references: Reference[] = [];
  readonly globs: GlobReference[] = [];
  /** Every hit in source order, innermost last among those that share a start; built on the first lookup. */
  private sorted: SymbolHit[] | undefined;

  declare(kind: SymbolKind, name: string, span: Span, owner?: Declaration): Declaration {
    const declaration: Declaration = { kind, name, span, ...(owner && { owner }) };
    this.declarations.push(declaration);
    this.sorted = undefined;
    return declaration;
  }

  /** The one declaration of a name the spec does not write (`h1.kernel`'s `kernel`, a column, a metric). */
  implied(kind: SymbolKind, name: string, owner: Declaration): Declaration {
    let byName = impliedByOwner.get(owner);
    if (!byName) {
      byName = new Map();
      impliedByOwner.set(owner, byName);
    }
    const key = `${kind}\0${name}`;
    let declaration = byName.get(key);
    if (!declaration) {
      declaration = { kind, name, owner };
      byName.set(key, declaration);
    }
    return declaration;
  }

  refer(span: Span, declaration: Declaration): void {
    this.references.push({ span, declaration });
    this.sorted = undefined;
  }

  referGlob(glob: GlobReference): void {
    this.globs.push(glob);
  }

  /** The glob whose span holds `offset`, its end included. */
  globAt(offset: number): GlobReference | undefined {
    return this.globs.find((glob) => glob.span.start <= offset && offset <= glob.span.end);
  }

  /** The globs that matched a layer by its name (`h*`) or its parameters by theirs (`h*.kernel`). */
  globsMatching(layer: Declaration): GlobReference[] {
    const model = layer.owner;
    if (layer.kind !== "layer" || !model) return [];
    return this.globs.filter((glob) => glob.model.name === model.name && glob.matches.some((match) => match === layer.name || match.startsWith(`${layer.name}.`)));
  }

  /** Adds another table's declarations and references after this one's: one block's part of a check, bound on its own. */
  include(part: SymbolTable): void {
    for (const declaration of part.declarations) this.declarations.push(declaration);
    for (const reference of part.references) this.references.push(reference);
    for (const glob of part.globs) this.globs.push(glob);
    this.sorted = undefined;
  }

  /**
   * A new table holding this one's declarations and references whose spans
   * `keep` accepts, for a newer version of the text where those spans still
   * stand: what an editor reads while the edited blocks are bound again into
   * the new table. Declarations the spec does not write come along with the
   * references to them.
   */
  carriedOver(keep: (span: Span) => boolean): SymbolTable {
    const table = new SymbolTable();
    for (const declaration of this.declarations) if (declaration.span && keep(declaration.span)) table.declarations.push(declaration);
    for (const reference of this.references) if (keep(reference.span)) table.references.push(reference);
    for (const glob of this.globs) if (keep(glob.span)) table.globs.push(glob);
    return table;
  }

  /** The declaration or reference whose span holds `offset` (its end included, where a cursor sits after typing); the innermost one. */
  at(offset: number): SymbolHit | undefined {
    const hits = this.hits();
    let low = 0;
    let high = hits.length;
    // The first hit that starts after the offset; candidates lie before it.
    while (low < high) {
      const middle = (low + high) >> 1;
      if (hits[middle]!.span.start <= offset) low = middle + 1;
      else high = middle;
    }
    let best: SymbolHit | undefined;
    // Names never overlap except one inside another (a task inside a metric's name), so the nearest few hits decide.
    for (let i = low - 1; i >= 0 && i >= low - NESTING; i--) {
      const hit = hits[i]!;
      if (hit.span.end < offset) continue;
      if (!best || hit.span.end - hit.span.start < best.span.end - best.span.start) best = hit;
    }
    return best;
  }

  /** Every reference to a declaration, in source order. */
  referencesTo(declaration: Declaration): Reference[] {
    return this.references.filter((r) => r.declaration === declaration).sort((a, b) => a.span.start - b.span.start);
  }

  /** The declaration and every reference to it, as hits in source order: what a rename edits. */
  occurrencesOf(declaration: Declaration): SymbolHit[] {
    const own: SymbolHit[] = declaration.span ? [{ declaration, span: declaration.span, isDeclaration: true }] : [];
    const uses = this.referencesTo(declaration).map((r) => ({ declaration, span: r.span, isDeclaration: false }));
    return [...own, ...uses].sort((a, b) => a.span.start - b.span.start);
  }

  private hits(): SymbolHit[] {
    if (!this.sorted) {
      const declared = this.declarations.flatMap((d) => (d.span ? [{ declaration: d, span: d.span, isDeclaration: true }] : []));
      const used = this.references.map((r) => ({ declaration: r.declaration, span: r.span, isDeclaration: false }));
      this.sorted = [...declared, ...used].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
    }
    return this.sorted;
  }
}
