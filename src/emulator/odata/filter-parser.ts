/**
 * A parser for the OData $filter subset Graph's directory accepts
 * (https://learn.microsoft.com/graph/aad-advanced-queries): comparisons, `in`, startswith/endswith,
 * and/or/not and parentheses.
 */
export type Literal = string | number | boolean | null;

export type FilterNode =
  | { type: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; prop: string; value: Literal }
  | { type: 'in'; prop: string; values: Literal[] }
  | { type: 'func'; name: 'startswith' | 'endswith'; prop: string; value: string }
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; expr: FilterNode };

type Token = { kind: 'str'; text: string } | { kind: 'word'; text: string } | { kind: 'punct'; text: '(' | ')' | ',' };

export class FilterSyntaxError extends Error {}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError('unterminated string literal');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += input[i];
        i++;
      }
      tokens.push({ kind: 'str', text });
      continue;
    }
    const m = /^[A-Za-z0-9_.:/+\-$@]+/.exec(input.slice(i));
    if (!m) throw new FilterSyntaxError(`unexpected character '${ch}'`);
    tokens.push({ kind: 'word', text: m[0] });
    i += m[0].length;
  }
  return tokens;
}

export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;
  const expect = (text: string): void => {
    const t = tokens[pos++];
    if (!t || t.text !== text) throw new FilterSyntaxError(`expected '${text}'`);
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (!t || t.kind === 'punct') throw new FilterSyntaxError('expected a literal');
    if (t.kind === 'str') return t.text;
    const lower = t.text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(t.text)) return Number(t.text);
    return t.text; // unquoted dates and GUIDs compare as strings
  };
  const property = (): string => {
    const t = tokens[pos++];
    if (!t || t.kind !== 'word') throw new FilterSyntaxError('expected a property');
    return t.text;
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      pos++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (isWord(t, 'not')) {
      pos++;
      return { type: 'not', expr: primary() };
    }
    if ((isWord(t, 'startswith') || isWord(t, 'endswith')) && tokens[pos + 1]?.text === '(') {
      const name = (t as Token).text.toLowerCase() as 'startswith' | 'endswith';
      pos += 2;
      const prop = property();
      expect(',');
      const value = literal();
      expect(')');
      if (typeof value !== 'string') throw new FilterSyntaxError(`${name} needs a string`);
      return { type: 'func', name, prop, value };
    }
    const prop = property();
    const opToken = tokens[pos++];
    const op = opToken?.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.text === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return { type: 'in', prop, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw new FilterSyntaxError(`unknown operator '${op}'`);
    return { type: 'cmp', op: op as 'eq', prop, value: literal() };
  };
  const andExpr = (): FilterNode => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { type: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { type: 'or', left, right: andExpr() };
    }
    return left;
  };
  const node = orExpr();
  if (pos !== tokens.length) throw new FilterSyntaxError('unexpected trailing input');
  return node;
}

/** Leaves of the tree, for capability checks. */
export function* filterLeaves(node: FilterNode, negated = false): Generator<{ node: FilterNode; negated: boolean }> {
  if (node.type === 'and' || node.type === 'or') {
    yield* filterLeaves(node.left, negated);
    yield* filterLeaves(node.right, negated);
  } else if (node.type === 'not') {
    yield* filterLeaves(node.expr, true);
  } else {
    yield { node, negated };
  }
}
