/**
 * ServiceStack's JSV text format, as its clients put complex values into form fields and query
 * strings: `[{ArticleId:1,ArticleTypeId:1,Quantity:2}]`. Scalars stay strings (JSV is untyped);
 * the DTO's declared types convert them afterwards. Strings are quoted with `"` (and `""` inside)
 * only when they contain one of `,:{}[]"`.
 */
export type JsvValue = string | JsvValue[] | { [key: string]: JsvValue };

const MAX_DEPTH = 8;

export class JsvSyntaxError extends Error {}

export function parseJsv(text: string): JsvValue {
  const parser = new JsvParser(text);
  const value = parser.value(0);
  parser.end();
  return value;
}

/** JSON when it is JSON (clients send either in a form field), else JSV; undefined when neither. */
export function parseStructuredText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // ServiceStack clients also send JSV in form fields
  }
  try {
    return parseJsv(text);
  } catch (error) {
    if (error instanceof JsvSyntaxError) return undefined;
    throw error;
  }
}

class JsvParser {
  private at = 0;

  constructor(private readonly text: string) {}

  value(depth: number): JsvValue {
    if (depth > MAX_DEPTH) throw new JsvSyntaxError('JSV nested too deeply');
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    return this.scalar(',}]');
  }

  end(): void {
    this.skipSpace();
    if (this.at !== this.text.length) this.fail('unexpected text after the value');
  }

  private object(depth: number): JsvValue {
    const entries: [string, JsvValue][] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') return this.close(entries);
    for (;;) {
      this.skipSpace();
      const key = this.scalar(':,}]');
      if (this.text[this.at] !== ':') this.fail('expected ":"');
      this.at++;
      entries.push([key, this.value(depth + 1)]);
      this.skipSpace();
      if (this.text[this.at] === '}') return this.close(entries);
      if (this.text[this.at] !== ',') this.fail('expected "," or "}"');
      this.at++;
    }
  }

  private close(entries: [string, JsvValue][]): JsvValue {
    this.at++;
    // fromEntries defines own properties: a "__proto__" key cannot reach the prototype.
    return Object.fromEntries(entries);
  }

  private array(depth: number): JsvValue {
    const items: JsvValue[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.at] === ']') {
        this.at++;
        return items;
      }
      if (this.text[this.at] !== ',') this.fail('expected "," or "]"');
      this.at++;
    }
  }

  private scalar(stops: string): string {
    if (this.text[this.at] === '"') return this.quoted();
    const start = this.at;
    while (this.at < this.text.length && !stops.includes(this.text[this.at])) this.at++;
    return this.text.slice(start, this.at).trim();
  }

  private quoted(): string {
    let out = '';
    this.at++;
    for (;;) {
      const next = this.text.indexOf('"', this.at);
      if (next < 0) this.fail('unterminated quoted string');
      out += this.text.slice(this.at, next);
      this.at = next + 1;
      if (this.text[this.at] !== '"') return out;
      out += '"';
      this.at++;
    }
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private fail(reason: string): never {
    throw new JsvSyntaxError(`Invalid JSV at ${this.at}: ${reason}`);
  }
}
