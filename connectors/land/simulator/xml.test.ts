import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XML_NAMESPACE, XmlSyntaxError, attributeOf, childElements, parseXml, serializeXml, textOf, xmlNode } from './xml';

describe('parseXml', () => {
  it('resolves namespaces of elements and attributes, default and prefixed', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>
      <!-- a comment -->
      <s:Envelope xmlns:s="urn:s" xmlns="urn:default" a="1" s:b="2" xml:lang="vi">
        <Body><x:Op xmlns:x="urn:x"><x:field>v</x:field><plain xmlns="">p</plain></x:Op></Body>
      </s:Envelope>`,
    );
    expect(root).toMatchObject({ name: 's:Envelope', localName: 'Envelope', namespace: 'urn:s' });
    expect(attributeOf(root, '', 'a')).toBe('1');
    expect(attributeOf(root, 'urn:s', 'b')).toBe('2');
    expect(attributeOf(root, XML_NAMESPACE, 'lang')).toBe('vi');
    const body = childElements(root, 'urn:default', 'Body')[0];
    expect(body).toBeDefined();
    const op = childElements(body!, 'urn:x', 'Op')[0]!;
    expect(childElements(op).map((child) => [child.namespace, child.localName, textOf(child)])).toEqual([
      ['urn:x', 'field', 'v'],
      ['', 'plain', 'p'],
    ]);
  });

  it('decodes entities, character references and CDATA, and keeps Vietnamese text', () => {
    const root = parseXml(`<a t='x &amp; "y"&#10;z'>&lt;Đất ở&gt; &#x1EA1;&#7841; <![CDATA[<raw> & ]]></a>`);
    expect(attributeOf(root, '', 't')).toBe('x & "y"\nz');
    expect(textOf(root)).toBe('<Đất ở> ạạ <raw> & ');
  });

  it('normalises literal whitespace in attribute values', () => {
    expect(attributeOf(parseXml('<a t="1\n2\t3"/>'), '', 't')).toBe('1 2 3');
  });

  it.each([
    ['no root', ''],
    ['text only', 'hello'],
    ['an unclosed element', '<a><b></b>'],
    ['mismatched end tag', '<a></b>'],
    ['two roots', '<a/><b/>'],
    ['an undeclared prefix', '<x:a/>'],
    ['an unquoted attribute', '<a b=1/>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['an unterminated reference', '<a>&amp</a>'],
    ['a document type declaration', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['markup declaration inside', '<a><!ENTITY x "y"></a>'],
    ['"<" in an attribute', '<a b="<"/>'],
    ['a control character', '<a>\u0001</a>'],
    ['a bad name', '<1a/>'],
    ['attributes without space', '<a b="1"c="2"/>'],
  ])('rejects %s', (_case, text) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
  });

  it('limits nesting depth', () => {
    const deep = `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`;
    expect(() => parseXml(deep)).toThrow(/nested deeper/);
    expect(parseXml(deep, { maxDepth: 100 }).localName).toBe('a');
  });

  it('reads the published WSDL', () => {
    const wsdl = parseXml(readFileSync(join(__dirname, '..', 'land-registry.wsdl'), 'utf8'));
    expect(wsdl).toMatchObject({ localName: 'definitions', namespace: 'http://schemas.xmlsoap.org/wsdl/' });
    const operations = childElements(wsdl, 'http://schemas.xmlsoap.org/wsdl/', 'portType').flatMap((portType) =>
      childElements(portType, 'http://schemas.xmlsoap.org/wsdl/', 'operation'),
    );
    expect(operations.map((operation) => attributeOf(operation, '', 'name'))).toEqual(['GetParcel', 'FindParcelsByOwner']);
  });
});

describe('serializeXml', () => {
  it('escapes text and attributes so that the result parses back to the same values', () => {
    const text = 'a < b & c > d "e" \'f\' Thửa đất số 12\r\n';
    const xml = serializeXml(
      xmlNode('p:root', { 'xmlns:p': 'urn:p', note: 'x"y<z>&\n' }, xmlNode('p:child', undefined, text), xmlNode('p:empty', undefined)),
    );
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><p:root xmlns:p="urn:p"')).toBe(true);
    expect(xml).toContain('<p:empty/>');
    const root = parseXml(xml);
    expect(attributeOf(root, '', 'note')).toBe('x"y<z>&\n');
    expect(textOf(childElements(root, 'urn:p', 'child')[0]!)).toBe(text);
  });

  it('replaces characters XML cannot carry', () => {
    expect(serializeXml(xmlNode('a', undefined, 'x\u0000y'))).toContain('<a>x\uFFFDy</a>');
  });
});
