/**
 * The YAML side of config errors: parses the file keeping every node's position, reports syntax
 * errors with their line and column, and maps a key path (`profiles[1].duration`) back to the node
 * it came from, so that schema errors found on plain values can still point into the file.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLError
} from 'yaml';

/** A key path into the config: map keys and list indices. */
export type PathSegment = string | number;

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/** A syntax problem of the YAML text itself. */
export interface SyntaxIssue {
  pos: Position;
  message: string;
}

/** A parsed config file: its plain value and the positions of its nodes. */
export class YamlSource {
  readonly syntaxIssues: SyntaxIssue[] = [];
  /** The document as plain data (maps become objects); meaningful only without syntax issues. */
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(text: string) {
    // `logLevel: 'error'`: the library would print its warnings (a collection as a key) to stderr
    // through process.emitWarning; every problem is reported here instead, with its place.
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, logLevel: 'error' });
    // After the first syntax error the parser's view of the structure is a guess and the errors that
    // follow are mostly echoes of it; duplicate keys are independent of each other and all worth fixing.
    const errors = [...this.doc.errors, ...this.doc.warnings];
    const first = errors.find(e => e.code !== 'DUPLICATE_KEY');
    for (const error of errors.filter(e => e === first || e.code === 'DUPLICATE_KEY')) {
      this.syntaxIssues.push({ pos: this.errorPosition(error), message: this.describeError(error) });
    }
    visit(this.doc, {
      // An alias to an anchor that does not exist only fails when converted; find it here, with its place.
      Alias: (_, alias) => {
        if (!alias.resolve(this.doc) && alias.range) {
          this.syntaxIssues.push({
            pos: this.offsetPosition(alias.range[0]),
            message: `expected an anchor &${alias.source} defined before this alias, got *${alias.source}`
          });
        }
      },
      // `? [a, b] : 1`: no config key is a list or a map, and as plain data it would become "[ a, b ]".
      Pair: (_, pair) => {
        if ((isMap(pair.key) || isSeq(pair.key)) && pair.key.range) {
          this.syntaxIssues.push({
            pos: this.offsetPosition(pair.key.range[0]),
            message: `expected a plain key (a name), got ${isMap(pair.key) ? 'a map' : 'a list'} as a key`
          });
        }
      }
    });
    this.value = this.syntaxIssues.length > 0 ? undefined : this.toJS();
  }

  /** Plain data; conversion can still fail (too many aliases: a "billion laughs" document). */
  private toJS(): unknown {
    try {
      return this.doc.toJS();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.syntaxIssues.push({
        pos: { line: 1, col: 1 },
        message: `expected valid YAML, got ${lowerFirst(message)}`
      });
      return undefined;
    }
  }

  /**
   * Position of the node at `path`: the value, or with `at: 'key'` the key itself. A path that leads
   * to nothing (a missing key) gives the position of the deepest map or list that exists.
   */
  position(path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let last = this.nodePosition(node) ?? { line: 1, col: 1 };
    for (const [i, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          p => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment)
        );
        if (!pair) return last;
        // For the key itself, or for `key:` with nothing after it, the key is the place to point at.
        const empty = isScalar(pair.value) && pair.value.value === null && pair.value.source === '';
        next = (at === 'key' && i === path.length - 1) || empty || !pair.value ? pair.key : pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      }
      const here = this.nodePosition(next);
      if (!here) return last;
      last = here;
      node = next;
    }
    return last;
  }

  private nodePosition(node: unknown): Position | undefined {
    const range = (node as Node | null | undefined)?.range;
    return range && isNode(node) ? this.offsetPosition(range[0]) : undefined;
  }

  /**
   * Where an error is. A missing closing quote is found where the text ends, often far below; the
   * quote that was opened is what needs fixing, so point at the string that starts there.
   */
  private errorPosition(error: YAMLError): Position {
    const at = error.pos[0];
    if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) {
      let start: number | undefined;
      visit(this.doc, {
        Scalar: (_, scalar) => {
          const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
          if (quoted && scalar.range && scalar.range[0] < at && at <= scalar.range[1]) {
            start = scalar.range[0];
            return visit.BREAK;
          }
          return undefined;
        }
      });
      if (start !== undefined) return this.offsetPosition(start);
    }
    return this.offsetPosition(at);
  }

  private offsetPosition(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /** The text of the map key that starts at `offset`. */
  private keyAt(offset: number): string {
    let key = '';
    visit(this.doc, {
      Pair: (_, pair) => {
        if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
          key = String(pair.key.value);
          return visit.BREAK;
        }
        return undefined;
      }
    });
    return key;
  }

  /** The library's messages, reworded where a common mistake deserves a plainer one. */
  private describeError(error: YAMLError): string {
    switch (error.code) {
      case 'DUPLICATE_KEY':
        return `expected each key once in a map, got ${JSON.stringify(this.keyAt(error.pos[0]))} again`;
      case 'MULTIPLE_DOCS':
        return 'expected one YAML document, got several (separated by ---)';
      case 'TAB_AS_INDENT':
        return 'expected spaces for indentation, got a tab';
      case 'MISSING_CHAR':
        if (/quote/i.test(error.message)) {
          const quote = error.message.includes("'") ? "'" : '"';
          return `expected a closing ${quote} for the string that starts here, got none before the end of the file`;
        }
        return `expected valid YAML, got ${lowerFirst(error.message)}`;
      default:
        return `expected valid YAML, got ${lowerFirst(error.message)}`;
    }
  }
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value) || isAlias(value);
}

/** The library's sentences, continuing ours: "got unexpected scalar …". */
function lowerFirst(text: string): string {
  return text.replace(/^./, c => c.toLowerCase());
}
