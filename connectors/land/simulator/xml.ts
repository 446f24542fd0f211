/**
 * A small, strict, namespace-aware XML reader and writer for SOAP messages. The project has no XML
 * library in its dependencies, and SOAP needs only elements, attributes, text, CDATA and
 * namespaces. Document type declarations are refused: no entity expansion, no external entities.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlAttribute {
  /** As written, e.g. `soap:mustUnderstand`. */
  name: string;
  localName: string;
  /** Namespace URI, '' for an unprefixed attribute. */
  namespace: string;
  value: string;
}

export interface XmlElement {
  /** As written, e.g. `soap:Envelope`. */
  name: string;
  localName: string;
  /** Namespace URI, '' when the element is in no namespace. */
  namespace: string;
  attributes: XmlAttribute[];
  /** Elements and text (entities decoded, CDATA as text); comments and processing instructions are dropped. */
  children: (XmlElement | string)[];
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlParseLimits {
  /** @default 64 */
  maxDepth?: number;
}

const NAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;
const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t';
}

/** Code points XML 1.0 allows in a document. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

class Reader {
  pos = 0;

  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new XmlSyntaxError(message, at);
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  expect(token: string): void {
    if (!this.startsWith(token)) this.fail(`Expected "${token}"`);
    this.pos += token.length;
  }

  skipWhitespace(): void {
    while (isWhitespace(this.text[this.pos])) this.pos++;
  }

  /** Everything up to `terminator` (which is consumed). */
  until(terminator: string, what: string): string {
    const end = this.text.indexOf(terminator, this.pos);
    if (end < 0) this.fail(`Unterminated ${what}`);
    const content = this.text.slice(this.pos, end);
    this.pos = end + terminator.length;
    return content;
  }

  name(): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] as string;
      if (isWhitespace(char) || char === '/' || char === '>' || char === '=' || char === '<') break;
      this.pos++;
    }
    const name = this.text.slice(start, this.pos);
    const parts = name.split(':');
    if (name === '' || parts.length > 2 || !parts.every((part) => NAME.test(part))) this.fail('Invalid name', start);
    return name;
  }

  /** Skips comments, processing instructions and whitespace between markup (prolog and epilog). */
  skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.startsWith('<!--')) {
        this.pos += 4;
        this.until('-->', 'comment');
      } else if (this.startsWith('<?')) {
        this.pos += 2;
        this.until('?>', 'processing instruction');
      } else if (this.startsWith('<!DOCTYPE') || this.startsWith('<!doctype')) {
        this.fail('Document type declarations are not accepted');
      } else {
        return;
      }
    }
  }
}

function decodeText(raw: string, offset: number): string {
  if (!raw.includes('&')) return raw;
  let result = '';
  let from = 0;
  for (let at = raw.indexOf('&'); at >= 0; at = raw.indexOf('&', from)) {
    const end = raw.indexOf(';', at);
    if (end < 0) throw new XmlSyntaxError('Unterminated character or entity reference', offset + at);
    const reference = raw.slice(at + 1, end);
    let decoded: string | undefined = PREDEFINED_ENTITIES[reference];
    if (decoded === undefined && reference.startsWith('#')) {
      const code = reference.startsWith('#x') ? parseInt(reference.slice(2), 16) : parseInt(reference.slice(1), 10);
      const digits = reference.startsWith('#x') ? /^#x[0-9a-fA-F]+$/ : /^#[0-9]+$/;
      if (digits.test(reference) && isXmlChar(code)) decoded = String.fromCodePoint(code);
    }
    if (decoded === undefined) throw new XmlSyntaxError(`Unknown reference "&${reference};"`, offset + at);
    result += raw.slice(from, at) + decoded;
    from = end + 1;
  }
  return result + raw.slice(from);
}

function checkChars(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number;
    if (!isXmlChar(code)) throw new XmlSyntaxError('Character not allowed in XML', i);
    if (code > 0xffff) i++;
  }
}

type Scope = ReadonlyMap<string, string>;

function resolve(qualifiedName: string, scope: Scope, isAttribute: boolean, reader: Reader, at: number): [string, string] {
  const colon = qualifiedName.indexOf(':');
  if (colon < 0) return [isAttribute ? '' : (scope.get('') ?? ''), qualifiedName];
  const prefix = qualifiedName.slice(0, colon);
  const namespace = prefix === 'xml' ? XML_NAMESPACE : scope.get(prefix);
  if (namespace === undefined || namespace === '') reader.fail(`Undeclared namespace prefix "${prefix}"`, at);
  return [namespace, qualifiedName.slice(colon + 1)];
}

function parseElement(reader: Reader, parentScope: Scope, depth: number, maxDepth: number): XmlElement {
  if (depth > maxDepth) reader.fail(`Elements nested deeper than ${maxDepth}`);
  const start = reader.pos;
  reader.expect('<');
  const name = reader.name();
  const raw: { name: string; value: string; at: number }[] = [];
  let selfClosing = false;
  for (;;) {
    const hadSpace = isWhitespace(reader.text[reader.pos]);
    reader.skipWhitespace();
    if (reader.startsWith('/>')) {
      reader.pos += 2;
      selfClosing = true;
      break;
    }
    if (reader.startsWith('>')) {
      reader.pos += 1;
      break;
    }
    if (!hadSpace) reader.fail('Expected whitespace between attributes');
    const at = reader.pos;
    const attributeName = reader.name();
    reader.skipWhitespace();
    reader.expect('=');
    reader.skipWhitespace();
    const quote = reader.text[reader.pos];
    if (quote !== '"' && quote !== "'") reader.fail('Attribute values must be quoted');
    reader.pos++;
    const valueAt = reader.pos;
    const rawValue = reader.until(quote, 'attribute value');
    if (rawValue.includes('<')) reader.fail('"<" in an attribute value', valueAt);
    if (raw.some((attribute) => attribute.name === attributeName)) reader.fail(`Duplicate attribute "${attributeName}"`, at);
    // Attribute-value normalisation: literal whitespace characters become spaces.
    raw.push({ name: attributeName, value: decodeText(rawValue.replace(/[\t\n\r]/g, ' '), valueAt), at });
  }

  const scope = new Map(parentScope);
  for (const attribute of raw) {
    if (attribute.name === 'xmlns') scope.set('', attribute.value);
    else if (attribute.name.startsWith('xmlns:')) {
      if (attribute.value === '') reader.fail('A namespace prefix cannot be undeclared in XML 1.0', attribute.at);
      scope.set(attribute.name.slice(6), attribute.value);
    }
  }
  const [namespace, localName] = resolve(name, scope, false, reader, start + 1);
  const attributes: XmlAttribute[] = raw.map((attribute) => {
    const [attributeNamespace, attributeLocalName] =
      attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')
        ? [XMLNS_NAMESPACE, attribute.name === 'xmlns' ? 'xmlns' : attribute.name.slice(6)]
        : resolve(attribute.name, scope, true, reader, attribute.at);
    return { name: attribute.name, localName: attributeLocalName, namespace: attributeNamespace, value: attribute.value };
  });
  const element: XmlElement = { name, localName, namespace, attributes, children: [] };
  if (selfClosing) return element;

  for (;;) {
    if (reader.pos >= reader.text.length) reader.fail(`Element <${name}> is not closed`, start);
    if (reader.startsWith('</')) {
      reader.pos += 2;
      const endAt = reader.pos;
      const endName = reader.name();
      if (endName !== name) reader.fail(`End tag </${endName}> does not match <${name}>`, endAt);
      reader.skipWhitespace();
      reader.expect('>');
      return element;
    }
    if (reader.startsWith('<!--')) {
      reader.pos += 4;
      reader.until('-->', 'comment');
    } else if (reader.startsWith('<![CDATA[')) {
      reader.pos += 9;
      element.children.push(reader.until(']]>', 'CDATA section'));
    } else if (reader.startsWith('<?')) {
      reader.pos += 2;
      reader.until('?>', 'processing instruction');
    } else if (reader.startsWith('<!')) {
      reader.fail('Markup declarations are not accepted');
    } else if (reader.startsWith('<')) {
      element.children.push(parseElement(reader, scope, depth + 1, maxDepth));
    } else {
      const textAt = reader.pos;
      const next = reader.text.indexOf('<', reader.pos);
      reader.pos = next < 0 ? reader.text.length : next;
      element.children.push(decodeText(reader.text.slice(textAt, reader.pos), textAt));
    }
  }
}

/** Parses a whole document and returns its root element; throws XmlSyntaxError if it is not well-formed. */
export function parseXml(text: string, limits: XmlParseLimits = {}): XmlElement {
  checkChars(text);
  // End-of-line handling (XML 1.0 §2.11): CRLF and lone CR are read as LF.
  const normalised = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const reader = new Reader(normalised);
  reader.skipMisc();
  if (!reader.startsWith('<')) reader.fail('Expected the root element');
  const root = parseElement(reader, new Map([['', '']]), 1, limits.maxDepth ?? 64);
  reader.skipMisc();
  if (reader.pos < reader.text.length) reader.fail('Content after the root element');
  return root;
}

/** Child elements, optionally only those with this namespace and local name. */
export function childElements(element: XmlElement, namespace?: string, localName?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement =>
      typeof child !== 'string' &&
      (namespace === undefined || child.namespace === namespace) &&
      (localName === undefined || child.localName === localName),
  );
}

/** The text directly inside an element (element children are ignored). */
export function textOf(element: XmlElement): string {
  return element.children.filter((child): child is string => typeof child === 'string').join('');
}

export function attributeOf(element: XmlElement, namespace: string, localName: string): string | undefined {
  return element.attributes.find((attribute) => attribute.namespace === namespace && attribute.localName === localName)?.value;
}

/** An element to write: a qualified name, attributes (namespace declarations included) and children. */
export interface XmlNode {
  name: string;
  attributes?: Readonly<Record<string, string>>;
  children?: readonly (XmlNode | string)[];
}

export function xmlNode(
  name: string,
  attributes: Readonly<Record<string, string>> | undefined,
  ...children: (XmlNode | string)[]
): XmlNode {
  return { name, attributes, children };
}

// Characters XML 1.0 cannot carry at all are replaced, never written raw.
function escape(text: string, attribute: boolean): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '&') result += '&amp;';
    else if (char === '<') result += '&lt;';
    else if (char === '>') result += '&gt;';
    else if (attribute && char === '"') result += '&quot;';
    else if (attribute && (char === '\n' || char === '\r' || char === '\t')) result += `&#${code};`;
    else if (!attribute && char === '\r') result += '&#13;';
    else if (!isXmlChar(code)) result += '\uFFFD';
    else result += char;
  }
  return result;
}

function write(node: XmlNode | string, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escape(node, false));
    return;
  }
  out.push('<', node.name);
  for (const [name, value] of Object.entries(node.attributes ?? {})) out.push(' ', name, '="', escape(value, true), '"');
  const children = node.children ?? [];
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of children) write(child, out);
  out.push('</', node.name, '>');
}

/** Serialises a document with an XML declaration (UTF-8). Names are written as given. */
export function serializeXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, out);
  return out.join('');
}
