import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgencyRegistry } from '../domain/ports/agency-registry.port';
import type { HubOrm } from './orm';

/** The agency registry for the signer: the `agency` table. */
export class StoreAgencyRegistry implements AgencyRegistry {
  constructor(private readonly orm: HubOrm) {}

  async find(code: string): Promise<{ code: string; name: string } | null> {
    // A result is sealed inside the transaction that records it: ask on that transaction's connection
    // (the embedded database has only one), or on a fresh one outside any transaction.
    const em = this.orm.em.getContext(false) as EntityManager;
    const rows = await em.execute<{ code: string; name: string }[]>('select code, name from agency where code = ?', [code]);
    return rows[0] ? { code: rows[0].code, name: rows[0].name } : null;
  }
}
