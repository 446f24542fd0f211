import forge from 'node-forge';
import { oid, readOid } from './asn1';

describe('object identifiers', () => {
  it.each(['1.2.840.113549.1.9.16.1.4', '2.5.4.97', '0.4.0.2023.1.1', '1.3.6.1.5.5.7.3.36', '2.16.840.1.101.3.4.2.1'])(
    'encodes %s as node-forge does and reads it back',
    (value) => {
      expect(oid(value).value).toBe(forge.asn1.oidToDer(value).getBytes());
      expect(readOid(oid(value))).toBe(value);
    },
  );

  it('takes arcs beyond 32 bits (a UUID under 2.25), which node-forge refuses', () => {
    const value = '2.25.219862538705554452271107501232948613320';
    expect(() => forge.asn1.oidToDer(value)).toThrow();
    expect(readOid(oid(value))).toBe(value);
    // X.690: the first octet of 2.25 is 2×40+25 = 105.
    expect((oid(value).value as string).charCodeAt(0)).toBe(105);
  });
});
