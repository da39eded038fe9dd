import {
  defaultParserErrorProvider,
  EmbeddedActionsParser,
  EMPTY_ALT,
  isRecognitionException,
  MismatchedTokenException,
  tokenMatcher,
  type IOrAlt,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import type * as A from "./ast.js";
import { Frame, identifier, isRealToken, nodeOf, type RuleName } from "./build-ast.js";
import * as T from "./lexer.js";
import type { Span } from "./span.js";

/** A rule the parse was inside where its input ended: with the input ending at a cursor, what the cursor is in. */
export interface OpenRule {
  rule: RuleName;
  /** How deep it was nested: the outermost rule is at 0. */
  depth: number;
  /** The node the rule built from what it holds (see build-ast.ts); undefined where it holds too little. */
  node: unknown;
  /** The extent of its real tokens; undefined when it holds none. */
  span: Span | undefined;
  /** How many nodes the enclosing rule had collected before it: an argument's slot, a target's place in a clause. */
  index: number;
}

/** A top-level line that starts with anything but a block's keyword (`dta digits {`): skipped by the parser, with its body. */
export interface SkippedBlock {
  /** Its first token: the word in a block keyword's place, or whatever stands there. */
  first: IToken;
  /** The word after the first token, on its line: what the block may have declared. */
  name: IToken | undefined;
  /** Its last token: the body's `}`, or the last on its line when it opened none. */
  last: IToken;
  /** Whether it has a block's shape, a body or a task's `NAME =`, rather than a statement's outside any block. */
  blockShaped: boolean;
}

/** A rule's end, as a parse that records them sees it (see `openRulesAtEnd`). */
interface RuleEnd extends OpenRule {
  /** How many syntax errors had been raised when the rule ended, and the token it ended before. */
  errors: number;
  next: IToken;
}

/**
 * The parser: Chevrotain's recursive descent with error recovery, building
 * the AST as it goes (build-ast.ts). One instance is built at load time and
 * reused for every parse (constructing a Chevrotain parser is the expensive
 * part). Recovery is on: a typo yields a partial tree plus errors, never a throw.
 */
class RegParser extends EmbeddedActionsParser {
  /**
   * Each `OR`'s alternatives, built once: a fresh array per call is most of
   * the parser's garbage. For the same reason the actions of `OPTION` and
   * `MANY` are fields, not closures made at each call.
   */
  private readonly alternatives: IOrAlt<unknown>[][] = [];
  /** The frames of the rules being parsed, outermost first; entries past `depth` are spares for reuse. */
  private readonly frames: Frame[] = [];
  private depth = 0;
  /** Where the text being parsed ends: an empty block's span falls back to it. */
  textEnd = 0;
  /** The outermost rule's node, once it has ended. */
  result: unknown;
  /** Whether the model header being parsed read its input whole: the input ended where the header could end it. */
  private inputWhole = false;

  /**
   * Where a header with an error stopped short of a `{`, and how many errors
   * were saved by then: the body's missing `{` there, the next error at that
   * token, is part of the header's error, already reported.
   */
  readonly excusedBraces: Array<{ token: IToken; after: number }> = [];

  /** The top-level lines skipped as blocks of an unknown kind, for parse.ts to report. */
  readonly skippedBlocks: SkippedBlock[] = [];

  /** Chevrotain's own record of a syntax error, for the one it cannot see: a header followed by anything but `{`. */
  declare protected SAVE_ERROR: (error: IRecognitionException) => IRecognitionException;

  /** While a parse records its rules' ends (see `openRulesAtEnd`): each end in order, and the errors saved so far. */
  recording: { ends: RuleEnd[]; errors: IRecognitionException[] } | undefined;

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      // Set in the bundle: the grammar's self-checks ran in the tests, not at every start.
      skipValidations: process.env["REGLANG_TRUSTED_GRAMMAR"] === "1",
    });
    this.performSelfAnalysis();
  }

  public spec = this.RULE("spec", () => {
    const frame = this.open("spec");
    try {
      this.skipUnknownBlocks();
      this.MANY(this.topLevelLine);
    } finally {
      this.close(frame);
    }
  });

  private readonly topLevelLine = () => {
    this.OR((this.alternatives[1] ??= [{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.SUBRULE(this.block) }]));
    this.skipUnknownBlocks();
  };

  /**
   * Skips each top-level line that starts with anything but a block's
   * keyword — a word no block starts with (`dta digits {`, `regularise mlp {`),
   * a `{` whose keyword is missing — and the body it opens, up to its
   * matching `}`: one error, reported by parse.ts. Left to Chevrotain, the
   * top level would resume at the next token that can start a block — a
   * `train` in that body (`split train: 1000`) — and invent a block there,
   * or report each line of the body. Outside the grammar: a skip is no production.
   */
  private skipUnknownBlocks(): void {
    if (this.RECORDING_PHASE) return;
    while (startsLine(this.LA(0)) && !atLineEnd(this.LA(1)) && !T.BLOCK_KEYWORDS.includes(this.LA(1).tokenType)) {
      const first = this.LA(1);
      const name = tokenMatcher(this.LA(2), T.Name) ? this.LA(2) : undefined;
      const taskShaped = name !== undefined && this.LA(3).tokenType === T.Equals;
      const { last, opened } = this.skipUnknownBlock();
      this.skippedBlocks.push({ first, name, last, blockShaped: opened || taskShaped });
    }
  }

  /** Skips a block of an unknown kind: its line, and the body that line opens (or the next line opens, as C# writes it). */
  private skipUnknownBlock(): { last: IToken; opened: boolean } {
    let last = this.LA(1);
    let depth = 0;
    let opened = false;
    for (let next = this.LA(1); !atEnd(next); next = this.LA(1)) {
      if (next.tokenType === T.Newline && depth === 0 && (opened || !this.braceOnLaterLine())) break;
      if (next.tokenType === T.LCurly) {
        depth++;
        opened = true;
      } else if (next.tokenType === T.RCurly) depth = Math.max(0, depth - 1);
      this.SKIP_TOKEN();
      if (next.tokenType !== T.Newline) last = next;
      if (opened && depth === 0) break;
    }
    return { last, opened };
  }

  private block = this.RULE("block", () => {
    const frame = this.open("block");
    try {
      this.OR((this.alternatives[2] ??= [
        { ALT: () => this.SUBRULE(this.dataBlock) },
        { ALT: () => this.SUBRULE(this.modelBlock) },
        { ALT: () => this.SUBRULE(this.taskDecl) },
        { ALT: () => this.SUBRULE(this.trainBlock) },
        { ALT: () => this.SUBRULE(this.regularizeBlock) },
        { ALT: () => this.SUBRULE(this.tuneBlock) },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private dataBlock = this.RULE("dataBlock", () => {
    const frame = this.open("dataBlock");
    try {
      frame.first = this.real(this.CONSUME(T.Data));
      this.header(this.blockName, "body");
      this.SUBRULE(this.body);
    } finally {
      this.close(frame);
    }
  });

  private modelBlock = this.RULE("modelBlock", () => {
    const frame = this.open("modelBlock");
    try {
      frame.first = this.real(this.CONSUME(T.Model));
      this.inputWhole = false;
      // An input cut short by an error is not what was written: the model is kept without it.
      if (!this.header(this.modelHeader, "body") && !this.inputWhole) frame.one = undefined;
      this.SUBRULE(this.body);
    } finally {
      this.close(frame);
    }
  });

  private readonly modelHeader = () => {
    this.blockName();
    this.punctuation(T.LParen);
    this.SUBRULE(this.expr);
    this.inputWhole = endsInput(this.LA(1));
    this.punctuation(T.RParen);
  };

  private taskDecl = this.RULE("taskDecl", () => {
    const frame = this.open("taskDecl");
    try {
      frame.first = this.real(this.CONSUME(T.Task));
      // After an error in `NAME =`, the call is still read where one starts on the line.
      if (this.header(this.taskHeader, "call") || startsCall(this.LA(1), this.LA(2))) this.SUBRULE(this.callExpr);
    } finally {
      this.close(frame);
    }
  });

  private readonly taskHeader = () => {
    this.blockName();
    this.punctuation(T.Equals);
  };

  private trainBlock = this.RULE("trainBlock", () => {
    const frame = this.open("trainBlock");
    try {
      frame.first = this.real(this.CONSUME(T.Train));
      this.header(this.trainHeader, "body");
      this.SUBRULE(this.body);
    } finally {
      this.close(frame);
    }
  });

  private readonly trainHeader = () => this.OPTION(this.blockName);

  private regularizeBlock = this.RULE("regularizeBlock", () => {
    const frame = this.open("regularizeBlock");
    try {
      frame.first = this.real(this.CONSUME(T.Regularize));
      this.header(this.blockName, "body");
      this.SUBRULE(this.body);
    } finally {
      this.close(frame);
    }
  });

  private tuneBlock = this.RULE("tuneBlock", () => {
    const frame = this.open("tuneBlock");
    try {
      frame.first = this.real(this.CONSUME(T.Tune));
      this.header(NOTHING, "body");
      this.SUBRULE(this.body);
    } finally {
      this.close(frame);
    }
  });

  private readonly blockName = () => {
    this.current().second = this.real(this.CONSUME(T.Name));
  };

  /**
   * A block's header: what stands between its keyword and its body (for a
   * task, its call). A syntax error there is reported once and the rest of
   * the header skipped, up to the body's `{` (or `}`) or the task's call,
   * so the body is still read: losing it would make every use of what it
   * declares look unknown. A header followed by anything but its `{` is such
   * an error too. No skip passes the line's end. False when the header had
   * an error.
   */
  private header(parts: () => void, then: "body" | "call"): boolean {
    const resumes = then === "body" ? bracesBody : startsCall;
    try {
      parts();
      const next = this.LA(1);
      if (!this.RECORDING_PHASE && then === "body" && !opensBody(next) && !atLineEnd(next)) throw this.SAVE_ERROR(this.expectedBrace());
      return true;
    } catch (error) {
      if (this.RECORDING_PHASE || !isRecognitionException(error as Error)) throw error;
      while (!atLineEnd(this.LA(1)) && !resumes(this.LA(1), this.LA(2))) this.SKIP_TOKEN();
      // The body's `{` missing here is part of this error.
      if (then === "body" && !opensBody(this.LA(1))) this.excusedBraces.push({ token: this.LA(1), after: this.errors.length });
      return false;
    }
  }

  /** The next tokens are line breaks, then a `{`. */
  private braceOnLaterLine(): boolean {
    let ahead = 1;
    while (this.LA(ahead).tokenType === T.Newline) ahead++;
    return ahead > 1 && opensBody(this.LA(ahead));
  }

  /** The error Chevrotain itself reports for a missing `{`, in its words, which parse.ts rephrases. */
  private expectedBrace(): IRecognitionException {
    const actual = this.LA(1);
    const message = defaultParserErrorProvider.buildMismatchTokenMessage({ expected: T.LCurly, actual, previous: this.LA(0), ruleName: "body" });
    return new MismatchedTokenException(message, actual, this.LA(0));
  }

  /** `{ statement (NEWLINE statement)* }` — a newline ends each statement. */
  private body = this.RULE("body", () => {
    const frame = this.open("body");
    try {
      // A `{` on the line below its header (as C# writes it) is one error, then read as if it ended the header's line.
      if (!this.RECORDING_PHASE && this.braceOnLaterLine()) {
        this.SAVE_ERROR(this.expectedBrace());
        while (this.LA(1).tokenType === T.Newline) this.SKIP_TOKEN();
      }
      this.punctuation(T.LCurly);
      this.MANY(this.bodyLine);
      this.punctuation(T.RCurly);
    } finally {
      this.close(frame);
    }
  });

  private readonly bodyLine = () => {
    this.OR((this.alternatives[3] ??= [{ ALT: () => this.punctuation(T.Newline) }, { ALT: () => this.SUBRULE(this.statementLine) }]));
  };

  /** A statement and its terminator, as one rule so recovery re-syncs at the next line. */
  private statementLine = this.RULE("statementLine", () => {
    const frame = this.open("statementLine");
    try {
      this.SUBRULE(this.statement);
      this.OR((this.alternatives[4] ??= [
        { ALT: () => this.punctuation(T.Newline) },
        { GATE: () => this.LA(1).tokenType === T.RCurly, ALT: EMPTY_ALT() },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private statement = this.RULE("statement", () => {
    const frame = this.open("statement");
    try {
      this.OR((this.alternatives[5] ??= [
        { ALT: () => this.SUBRULE(this.callStatement) },
        { ALT: () => this.SUBRULE(this.setting) },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private callStatement = this.RULE("callStatement", () => {
    const frame = this.open("callStatement");
    try {
      this.OPTION(this.statementName);
      this.SUBRULE(this.callExpr);
      this.MANY(this.clauseOfStatement);
    } finally {
      this.close(frame);
    }
  });

  private readonly statementName = () => {
    this.lead(this.CONSUME(T.Name));
    this.punctuation(T.Equals);
  };

  private readonly clauseOfStatement = () => this.SUBRULE(this.clause);

  private clause = this.RULE("clause", () => {
    const frame = this.open("clause");
    try {
      this.OR((this.alternatives[0] ??= T.CLAUSE_TOKENS.map((tokenType) => ({ ALT: () => this.lead(this.CONSUME(tokenType)) }))));
      this.SUBRULE(this.expr);
      this.MANY(this.nextTarget);
    } finally {
      this.close(frame);
    }
  });

  private readonly nextTarget = () => {
    this.punctuation(T.Comma);
    this.SUBRULE2(this.expr);
  };

  private setting = this.RULE("setting", () => {
    const frame = this.open("setting");
    try {
      frame.first = this.real(this.CONSUME(T.Name));
      // A word directly followed by another value qualifies the setting (`objective maximize val_accuracy`).
      this.OPTION2(this.qualifier);
      this.OPTION(this.settingArgs);
    } finally {
      this.close(frame);
    }
  });

  private readonly qualifier = {
    GATE: () => tokenMatcher(this.LA(2), T.Name) || tokenMatcher(this.LA(2), T.NumberTok),
    DEF: () => {
      this.current().second = this.real(this.CONSUME2(T.Name, QUALIFIER));
    },
  };

  private readonly settingArgs = () => {
    this.SUBRULE(this.settingArg);
    this.MANY(this.nextSettingArg);
  };

  private readonly nextSettingArg = () => {
    this.punctuation(T.Comma);
    this.SUBRULE2(this.settingArg);
  };

  private settingArg = this.RULE("settingArg", () => {
    const frame = this.open("settingArg");
    try {
      this.OR((this.alternatives[6] ??= [
        {
          ALT: () => {
            this.lead(this.CONSUME(T.Name));
            this.punctuation(T.Colon);
            this.SUBRULE(this.expr);
          },
        },
        {
          ALT: () => {
            this.lead(this.CONSUME2(T.Name));
            this.current().marked = this.real(this.CONSUME(T.Equals)) !== undefined;
            this.SUBRULE2(this.expr);
          },
        },
        { ALT: () => this.SUBRULE3(this.expr) },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private callExpr = this.RULE("callExpr", () => {
    const frame = this.open("callExpr");
    try {
      frame.first = this.real(this.CONSUME(T.Name));
      this.punctuation(T.LParen);
      this.OPTION(this.callArgs);
      this.punctuation(T.RParen);
    } finally {
      this.close(frame);
    }
  });

  private readonly callArgs = () => {
    this.SUBRULE(this.arg);
    this.MANY(this.nextCallArg);
  };

  private readonly nextCallArg = () => {
    this.punctuation(T.Comma);
    this.SUBRULE2(this.arg);
  };

  private arg = this.RULE("arg", () => {
    const frame = this.open("arg");
    try {
      this.OR((this.alternatives[7] ??= [
        {
          ALT: () => {
            this.lead(this.CONSUME(T.Name));
            this.punctuation(T.Colon);
            this.SUBRULE(this.expr);
          },
        },
        { ALT: () => this.SUBRULE2(this.expr) },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private expr = this.RULE("expr", () => {
    const frame = this.open("expr");
    try {
      this.OR((this.alternatives[8] ??= [
        {
          ALT: () => {
            this.OPTION(this.minus);
            this.lead(this.CONSUME(T.NumberTok));
          },
        },
        { ALT: () => this.lead(this.CONSUME(T.StringTok)) },
        { ALT: () => this.lead(this.CONSUME(T.True)) },
        { ALT: () => this.lead(this.CONSUME(T.False)) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.callExpr) },
        { ALT: () => this.SUBRULE(this.ref) },
      ]));
    } finally {
      this.close(frame);
    }
  });

  private readonly minus = () => {
    this.current().marked = this.real(this.CONSUME(T.Minus)) !== undefined;
  };

  private ref = this.RULE("ref", () => {
    const frame = this.open("ref");
    try {
      this.segment(this.CONSUME(T.Name));
      this.MANY(this.nextSegment);
    } finally {
      this.close(frame);
    }
  });

  private readonly nextSegment = () => {
    this.punctuation(T.Dot);
    this.segment(this.CONSUME2(T.Name));
  };

  private list = this.RULE("list", () => {
    const frame = this.open("list");
    try {
      this.punctuation(T.LBracket);
      this.OPTION(this.items);
      this.punctuation(T.RBracket);
    } finally {
      this.close(frame);
    }
  });

  private readonly items = () => {
    this.SUBRULE(this.expr);
    this.MANY(this.nextTarget);
  };

  private open(rule: RuleName): Frame {
    const frame = (this.frames[this.depth] ??= new Frame());
    this.depth++;
    frame.reset(rule);
    return frame;
  }

  /**
   * Ends a rule, normally or by a syntax error: its node goes to the
   * enclosing rule. While Chevrotain records the grammar at load, rules run
   * on a placeholder token whose offsets are boxed numbers: a node built from
   * it would leave every span of every tree boxing its offsets too.
   */
  private close(frame: Frame): void {
    this.depth--;
    const node = this.RECORDING_PHASE ? undefined : nodeOf(frame, this.textEnd);
    const parent = this.depth > 0 ? this.frames[this.depth - 1]! : undefined;
    if (this.recording) this.recordEnd(frame, node, parent);
    if (parent) parent.adopt(frame, node);
    else this.result = node;
  }

  private recordEnd(frame: Frame, node: unknown, parent: Frame | undefined): void {
    const { ends, errors } = this.recording!;
    const extent = frame.extent();
    const index = parent?.list.length ?? 0;
    ends.push({ rule: frame.rule, depth: this.depth, node, span: extent, index, errors: errors.length, next: this.LA(1) });
  }

  private current(): Frame {
    return this.frames[this.depth - 1]!;
  }

  /** The token if it is real (neither inserted by recovery nor recording's placeholder), counted in the current rule's extent. */
  private real(token: IToken): IToken | undefined {
    if (this.RECORDING_PHASE || !isRealToken(token)) return undefined;
    this.current().extend(token.startOffset, T.tokenEnd(token));
    return token;
  }

  /** A punctuation token: only its position matters. */
  private punctuation(tokenType: TokenType): void {
    this.real(this.CONSUME(tokenType));
  }

  /** The token that says what the rule holds: a clause's keyword, an argument's name, a literal. */
  private lead(token: IToken): void {
    this.current().first = this.real(token);
  }

  private segment(token: IToken): void {
    const real = this.real(token);
    if (real) this.current().list.push(identifier(real, 0));
  }
}

const QUALIFIER = { LABEL: "qualifier" };

/** The header of a block that has only its keyword (`tune`). */
const NOTHING = () => {};

function opensBody(token: IToken): boolean {
  return token.tokenType === T.LCurly;
}

/** Where skipping a block's broken header stops: its body's `{`, or a `}` that closes the block on that line. */
function bracesBody(token: IToken): boolean {
  return opensBody(token) || token.tokenType === T.RCurly;
}

/** What may follow a model's input: its `)`, or where a missing `)` shows (`{`, the line's end). */
function endsInput(token: IToken): boolean {
  return token.tokenType === T.RParen || opensBody(token) || atLineEnd(token);
}

function startsCall(token: IToken, next: IToken): boolean {
  return tokenMatcher(token, T.Name) && next.tokenType === T.LParen;
}

/** Where skipping a broken header stops in any case: a block's header ends with its line. */
function atLineEnd(token: IToken): boolean {
  return token.tokenType === T.Newline || atEnd(token);
}

function atEnd(token: IToken): boolean {
  return token.tokenType.name === "EOF";
}

/** Whether the token after `previous` starts a line: `previous` is a line break, or there is none (Chevrotain's EOF before the first token). */
function startsLine(previous: IToken): boolean {
  return previous.tokenType === T.Newline || atEnd(previous);
}

const parser = new RegParser();

export interface ParseOutput {
  blocks: A.Block[];
  errors: IRecognitionException[];
  skippedBlocks: SkippedBlock[];
}

/** Parses a token vector that ends at offset `textEnd` of the file. */
export function parseTokens(tokens: T.LexResult["tokens"], textEnd: number): ParseOutput {
  parser.input = tokens;
  // Chevrotain saves errors into the array it is given: a recording parse counts them as they come.
  if (parser.recording) parser.errors = parser.recording.errors;
  parser.textEnd = textEnd;
  parser.result = undefined;
  parser.excusedBraces.length = 0;
  parser.skippedBlocks.length = 0;
  parser.spec();
  const blocks = (parser.result as A.Block[] | undefined) ?? [];
  const errors = parser.errors.filter((error, i) => !parser.excusedBraces.some((excused) => excused.token === error.token && excused.after === i));
  // The tokens are garbage now: held until the next parse, they would be copied by every collection until then.
  parser.input = [];
  return { blocks, errors, skippedBlocks: [...parser.skippedBlocks] };
}

/**
 * Parses tokens that stop at a cursor (`textEnd`) and returns the rules the
 * parse was inside there: those that ended where the parse stopped, after
 * the first syntax error there (at the end of the input, or at tokens no
 * rule could resume from). Each comes before the rules it holds, and a
 * rule's later children before its earlier ones: the first path down is
 * the rightmost path of the partial tree, down to what the cursor is in.
 * An input that parses whole leaves none open.
 */
export function openRulesAtEnd(tokens: T.LexResult["tokens"], textEnd: number): OpenRule[] {
  const recording = { ends: [] as RuleEnd[], errors: [] as IRecognitionException[] };
  parser.recording = recording;
  try {
    parseTokens(tokens, textEnd);
  } finally {
    parser.recording = undefined;
  }
  const { ends, errors } = recording;
  const stop = errors[errors.length - 1]?.token;
  const firstThere = errors.findIndex((e) => e.token === stop);
  const open: OpenRule[] = [];
  for (let i = ends.length - 1; i >= 0; i--) {
    const { errors: raised, next, ...rule } = ends[i]!;
    if (next !== stop || raised <= firstThere) break;
    open.push(rule);
  }
  return open;
}

/** The grammar's productions, for the railroad diagram and the EBNF check. */
export function serializedGrammar() {
  return parser.getSerializedGastProductions();
}
