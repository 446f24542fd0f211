import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../domain/clock';
import { isConsentAttribute, type ClientConsentPurpose } from '../../domain/consent/consent';
import {
  decidePurposeRegistration,
  defaultPrefillPurpose,
  prefillProcedureOf,
  type DescribedConsentPurpose,
  type PurposeRegistration,
} from '../../domain/consent/consent-purposes';
import type { PrefillFieldLists } from '../../domain/consent/prefill';
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import { translateStoreError } from '../store-errors';
import type { UnitOfWork } from '../unit-of-work';

/** A purpose as stored, for operators and for the portal it belongs to. */
export interface RegisteredConsentPurpose extends ClientConsentPurpose {
  clientId: string;
  /** The procedure a `prefill:` purpose names; null for any other purpose. */
  procedureCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a registration did: a new purpose, a changed one, or one already so. */
export type RegistrationOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

interface Row {
  client_id: string;
  purpose: string;
  attributes: string[];
  description_vi: string | null;
  description_en: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'client_id, purpose, attributes, description_vi, description_en, created_at, updated_at';

function toPurpose(row: Row): RegisteredConsentPurpose {
  return {
    clientId: row.client_id,
    purpose: row.purpose,
    procedureCode: prefillProcedureOf(row.purpose) ?? null,
    attributes: row.attributes.filter(isConsentAttribute),
    descriptionVi: row.description_vi ?? undefined,
    descriptionEn: row.description_en ?? undefined,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * Writes a purpose as given (insert, or update when it differs: a repeated registration leaves
 * `updated_at` alone). No rule is checked here: `ConsentPurposeRegistry.register` checks them.
 */
async function savePurpose(em: EntityManager, now: Date, clientId: string, purpose: ClientConsentPurpose): Promise<RegistrationOutcome> {
  try {
    const rows = await em.execute<{ created: boolean }[]>(
      `insert into consent_purpose (client_id, purpose, attributes, description_vi, description_en, created_at, updated_at)
       values (?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?)
       on conflict (client_id, purpose) do update
         set attributes = excluded.attributes, description_vi = excluded.description_vi,
             description_en = excluded.description_en, updated_at = excluded.updated_at
         where (consent_purpose.attributes, consent_purpose.description_vi, consent_purpose.description_en)
           is distinct from (excluded.attributes, excluded.description_vi, excluded.description_en)
       returning (xmax = 0) as created`,
      // As JSON: the driver would spread an array into separate parameters.
      [
        clientId,
        purpose.purpose,
        JSON.stringify(purpose.attributes),
        purpose.descriptionVi ?? null,
        purpose.descriptionEn ?? null,
        now,
        now,
      ],
    );
    if (rows.length === 0) return 'UNCHANGED';
    return rows[0]!.created ? 'CREATED' : 'UPDATED';
  } catch (error) {
    throw translateStoreError(error);
  }
}

/** A client's purposes, by name. */
export async function purposesOfClient(em: EntityManager, clientId: string): Promise<RegisteredConsentPurpose[]> {
  const rows = await em.execute<Row[]>(`select ${COLUMNS} from consent_purpose where client_id = ? order by purpose`, [clientId]);
  return rows.map(toPurpose);
}

/** How the registry learns the procedures it describes: their names (the store's catalogue). */
export type ProcedureNames = (code: string) => Promise<string>;

/**
 * The purposes each portal may ask citizens for consent for (operators, the demo seed), and what a
 * portal reads of its own. Removing a purpose stops new consents for it; consents already given keep
 * working until they expire or are revoked (each presentation reads the consent, not the purpose).
 */
export class ConsentPurposeRegistry {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly prefillFields: () => PrefillFieldLists,
    private readonly procedureName: ProcedureNames,
  ) {}

  /** Registers (or replaces) a purpose of a portal, once the rules accept it. */
  async register(
    clientId: string,
    input: PurposeRegistration,
  ): Promise<{ purpose: RegisteredConsentPurpose; outcome: RegistrationOutcome }> {
    await this.requirePortal(clientId);
    const decision = decidePurposeRegistration(input, this.prefillFields());
    if (!decision.allowed) throw new InvalidInputError(decision.message, { reason: decision.reason, details: decision.details });
    return this.write(clientId, decision.purpose);
  }

  /**
   * Registers the default purpose of each prefill procedure named (all those with a field list when
   * none is), each covering exactly the attributes its fields read.
   */
  async registerDefaultPrefill(
    clientId: string,
    procedureCodes: readonly string[] = [],
  ): Promise<{ purpose: RegisteredConsentPurpose; outcome: RegistrationOutcome }[]> {
    await this.requirePortal(clientId);
    const lists = this.prefillFields();
    const codes = procedureCodes.length > 0 ? [...new Set(procedureCodes)] : [...lists.keys()].sort();
    const without = codes.filter((code) => !lists.has(code));
    if (without.length > 0) {
      throw new InvalidInputError(
        `Không có danh sách trường điền sẵn cho / No prefill field list for: ${without.map((c) => c.slice(0, 40)).join(', ')}. ` +
          `Có / Those with one: ${[...lists.keys()].join(', ')}.`,
        { reason: 'CONSENT_PURPOSE.NO_PREFILL_FIELDS', details: { procedureCodes: without, prefillable: [...lists.keys()] } },
      );
    }
    const purposes: DescribedConsentPurpose[] = [];
    for (const code of codes) purposes.push(defaultPrefillPurpose({ code, name: await this.procedureName(code) }, lists.get(code)!));
    const results = [];
    for (const purpose of purposes) results.push(await this.write(clientId, purpose));
    return results;
  }

  /** Every purpose, or a client's; by client, then purpose. */
  async list(clientId?: string): Promise<RegisteredConsentPurpose[]> {
    const em = this.uow.reader();
    if (clientId !== undefined) {
      await this.requireClient(clientId);
      return purposesOfClient(em, clientId);
    }
    const rows = await em.execute<Row[]>(`select ${COLUMNS} from consent_purpose order by client_id, purpose`);
    return rows.map(toPurpose);
  }

  /** What a portal may ask for (its own purposes only). */
  async purposesOf(clientId: string): Promise<RegisteredConsentPurpose[]> {
    return purposesOfClient(this.uow.reader(), clientId);
  }

  /**
   * Removes a purpose: no new consent can be asked for it. Answers how many consents given for it
   * are still in force (granted, not expired): they keep working until they expire or are revoked.
   */
  async remove(clientId: string, purpose: string): Promise<{ consentsInForce: number }> {
    await this.requireClient(clientId);
    return this.uow.run(async (em) => {
      const removed = await em.execute<{ purpose: string }[]>(
        'delete from consent_purpose where client_id = ? and purpose = ? returning purpose',
        [clientId, purpose],
      );
      if (removed.length === 0) {
        throw new NotFoundError(
          `Client ${clientId} không có mục đích / has no purpose "${purpose.slice(0, 100)}". Xem / See: hub consent-purposes list ${clientId}.`,
          { reason: 'CONSENT_PURPOSE.NOT_FOUND' },
        );
      }
      const [count] = await em.execute<{ n: string | number }[]>(
        `select count(*) as n from consent where client_id = ? and purpose = ? and status = 'GRANTED' and not_after > ?`,
        [clientId, purpose, this.clock.now()],
      );
      return { consentsInForce: Number(count?.n ?? 0) };
    });
  }

  private async write(clientId: string, purpose: DescribedConsentPurpose) {
    const now = this.clock.now();
    return this.uow.run(async (em) => {
      const outcome = await savePurpose(em, now, clientId, purpose);
      const stored = (await purposesOfClient(em, clientId)).find((p) => p.purpose === purpose.purpose)!;
      return { purpose: stored, outcome };
    });
  }

  private async requireClient(clientId: string): Promise<{ kind: string }> {
    const [client] = await this.uow.reader().execute<{ kind: string }[]>('select kind from api_client where client_id = ?', [clientId]);
    if (!client) {
      throw new NotFoundError(`Không có API client / There is no API client "${clientId.slice(0, 60)}". Xem / See: hub clients list.`, {
        reason: 'CONSENT_PURPOSE.UNKNOWN_CLIENT',
      });
    }
    return client;
  }

  /** Only portals ask citizens for consent (grantConsent): a purpose of another client could never be used. */
  private async requirePortal(clientId: string): Promise<void> {
    const client = await this.requireClient(clientId);
    if (client.kind !== 'PORTAL') {
      throw new InvalidInputError(
        `${clientId} là client loại ${client.kind}, không phải cổng dịch vụ công (PORTAL): chỉ cổng xin sự đồng ý của công dân / ` +
          `${clientId} is of kind ${client.kind}, not a PORTAL: only portals ask citizens for consent.`,
        { reason: 'CONSENT_PURPOSE.NOT_A_PORTAL' },
      );
    }
  }
}
