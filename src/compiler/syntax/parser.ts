import { CstParser, EMPTY_ALT, tokenMatcher, type CstNode, type IOrAlt, type IRecognitionException } from "chevrotain";
import * as T from "./lexer.js";

/**
 * The concrete-syntax parser. One instance is built at load time and reused
 * for every parse (constructing a Chevrotain parser is the expensive part).
 * Error recovery is on: a typo yields a partial CST plus errors, never a throw.
 */
class RegParser extends CstParser {
  /** Each `OR`'s alternatives, built once: a fresh array per call is most of the parser's garbage. */
  private readonly alternatives: IOrAlt<unknown>[][] = [];

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      // Set in the bundle: the grammar's self-checks ran in the tests, not at every start.
      skipValidations: process.env["REGLANG_TRUSTED_GRAMMAR"] === "1",
    });
    this.performSelfAnalysis();
  }

  public spec = this.RULE("spec", () => {
    this.MANY(() => {
      this.OR((this.alternatives[1] ??= [{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.SUBRULE(this.block) }]));
    });
  });

  private block = this.RULE("block", () => {
    this.OR((this.alternatives[2] ??= [
      { ALT: () => this.SUBRULE(this.dataBlock) },
      { ALT: () => this.SUBRULE(this.modelBlock) },
      { ALT: () => this.SUBRULE(this.taskDecl) },
      { ALT: () => this.SUBRULE(this.trainBlock) },
      { ALT: () => this.SUBRULE(this.regularizeBlock) },
      { ALT: () => this.SUBRULE(this.tuneBlock) },
    ]));
  });

  private dataBlock = this.RULE("dataBlock", () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Name);
    this.SUBRULE(this.body);
  });

  private modelBlock = this.RULE("modelBlock", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.body);
  });

  private taskDecl = this.RULE("taskDecl", () => {
    this.CONSUME(T.Task);
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.callExpr);
  });

  private trainBlock = this.RULE("trainBlock", () => {
    this.CONSUME(T.Train);
    this.OPTION(() => this.CONSUME(T.Name));
    this.SUBRULE(this.body);
  });

  private regularizeBlock = this.RULE("regularizeBlock", () => {
    this.CONSUME(T.Regularize);
    this.CONSUME(T.Name);
    this.SUBRULE(this.body);
  });

  private tuneBlock = this.RULE("tuneBlock", () => {
    this.CONSUME(T.Tune);
    this.SUBRULE(this.body);
  });

  /** `{ statement (NEWLINE statement)* }` — a newline ends each statement. */
  private body = this.RULE("body", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[3] ??= [{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.SUBRULE(this.statementLine) }]));
    });
    this.CONSUME(T.RCurly);
  });

  /** A statement and its terminator, as one rule so recovery re-syncs at the next line. */
  private statementLine = this.RULE("statementLine", () => {
    this.SUBRULE(this.statement);
    this.OR((this.alternatives[4] ??= [
      { ALT: () => this.CONSUME(T.Newline) },
      { GATE: () => this.LA(1).tokenType === T.RCurly, ALT: EMPTY_ALT() },
    ]));
  });

  private statement = this.RULE("statement", () => {
    this.OR((this.alternatives[5] ??= [
      { ALT: () => this.SUBRULE(this.callStatement) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]));
  });

  private callStatement = this.RULE("callStatement", () => {
    this.OPTION(() => {
      this.CONSUME(T.Name);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.callExpr);
    this.MANY(() => this.SUBRULE(this.clause));
  });

  private clause = this.RULE("clause", () => {
    this.OR((this.alternatives[0] ??= T.CLAUSE_TOKENS.map((tokenType) => ({ ALT: () => this.CONSUME(tokenType) }))));
    this.SUBRULE(this.expr);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expr);
    });
  });

  private setting = this.RULE("setting", () => {
    this.CONSUME(T.Name);
    // A word directly followed by another value qualifies the setting (`objective maximize val_accuracy`).
    this.OPTION2({
      GATE: () => tokenMatcher(this.LA(2), T.Name) || tokenMatcher(this.LA(2), T.NumberTok),
      DEF: () => this.CONSUME2(T.Name, { LABEL: "qualifier" }),
    });
    this.OPTION(() => {
      this.SUBRULE(this.settingArg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.settingArg);
      });
    });
  });

  private settingArg = this.RULE("settingArg", () => {
    this.OR((this.alternatives[6] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.CONSUME(T.Colon);
          this.SUBRULE(this.expr);
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Name);
          this.CONSUME(T.Equals);
          this.SUBRULE2(this.expr);
        },
      },
      { ALT: () => this.SUBRULE3(this.expr) },
    ]));
  });

  private callExpr = this.RULE("callExpr", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
    });
    this.CONSUME(T.RParen);
  });

  private arg = this.RULE("arg", () => {
    this.OR((this.alternatives[7] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.CONSUME(T.Colon);
          this.SUBRULE(this.expr);
        },
      },
      { ALT: () => this.SUBRULE2(this.expr) },
    ]));
  });

  private expr = this.RULE("expr", () => {
    this.OR((this.alternatives[8] ??= [
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.NumberTok);
        },
      },
      { ALT: () => this.CONSUME(T.StringTok) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.callExpr) },
      { ALT: () => this.SUBRULE(this.ref) },
    ]));
  });

  private ref = this.RULE("ref", () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
  });

  private list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr);
      });
    });
    this.CONSUME(T.RBracket);
  });
}

const parser = new RegParser();

export interface ParseOutput {
  cst: CstNode;
  errors: IRecognitionException[];
}

export function parseTokens(tokens: T.LexResult["tokens"]): ParseOutput {
  parser.input = tokens;
  const cst = parser.spec();
  return { cst, errors: [...parser.errors] };
}

/** The grammar's productions, for the railroad diagram and the EBNF check. */
export function serializedGrammar() {
  return parser.getSerializedGastProductions();
}
