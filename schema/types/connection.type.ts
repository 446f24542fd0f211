import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

/** Relay cursors are opaque to clients: base64url of the ordering key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`c:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null): string | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  return decoded.startsWith('c:') ? decoded.slice(2) : undefined;
}

export const PAGE_SIZE = { default: 20, max: 100 } as const;

@ObjectType()
export abstract class CountedConnection {
  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Items matching the filter, over all pages.' })
  totalCount!: number;
}

/** Builds a Relay connection from a page of entities. */
export function toConnection<E, N>(
  page: { items: E[]; hasNextPage: boolean; totalCount: number },
  cursorKey: (entity: E) => string,
  toNode: (entity: E) => N,
): { edges: { cursor: string; node: N }[]; totalCount: number; pageInfo: PageInfo } {
  const edges = page.items.map((entity) => ({ cursor: encodeCursor(cursorKey(entity)), node: toNode(entity) }));
  return { edges, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
