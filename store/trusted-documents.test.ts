import type { HubOrm } from './orm';
import { documentIdOf, TrustedDocuments } from './trusted-documents';

/** A store with one registered document, counting the look-ups that reach it. */
function fakeOrm(registered: Record<string, string>) {
  const queries = { count: 0 };
  const orm = {
    em: {
      fork: () => ({
        execute: async (_sql: string, [id]: string[]) => {
          queries.count += 1;
          const body = registered[id!];
          return body === undefined ? [] : [{ body }];
        },
      }),
    },
  } as unknown as HubOrm;
  return { orm, queries };
}

describe('TrustedDocuments cache', () => {
  it('unbounded trusted-document misses: 10,000 unknown ids from strangers leave at most maxEntries in memory', async () => {
    const known = 'query Count { dossiers { totalCount } }';
    const { orm } = fakeOrm({ [documentIdOf(known)]: known });
    const documents = new TrustedDocuments(orm, { maxEntries: 100 });
    for (let i = 0; i < 10_000; i += 1) expect(await documents.get(`sha256:${String(i).padStart(64, '0')}`)).toBeUndefined();
    expect(documents.cachedEntries).toBe(100);
    expect(await documents.get(documentIdOf(known))).toBe(known);
    expect(documents.cachedEntries).toBe(100);
  });

  it('serves a registered document, and remembers a miss, from memory after the first look-up', async () => {
    const known = 'query Count { dossiers { totalCount } }';
    const { orm, queries } = fakeOrm({ [documentIdOf(known)]: known });
    const documents = new TrustedDocuments(orm);
    await documents.get(documentIdOf(known));
    await documents.get(documentIdOf(known).slice('sha256:'.length));
    expect(queries.count).toBe(1);
    const missing = `sha256:${'f'.repeat(64)}`;
    await documents.get(missing);
    await documents.get(missing);
    expect(queries.count).toBe(2);
  });
});
