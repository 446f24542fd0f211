import type { RegistrySource } from '../domain/catalogue/procedure-definition';
import { HubError, InvalidInputError, NotFoundError } from '../domain/errors';
import type {
  RegistryConfirmation,
  RegistryConfirmationPort,
  RegistryConfirmationRequest,
} from '../domain/ports/registry-confirmation.port';
import type { Logger } from '../platform/logger';
import type { Enterprise } from './business/business-registry.types';
import type { Parcel } from './land/land-registry.types';
import type { Citizen } from './population/population-registry.types';
import { CITIZEN_ATTRIBUTES } from './population/population-registry.types';

/** The registry reads reception needs; the registry clients (population, business, land) have them. */
export interface ConfirmingRegistries {
  population?: { lookup(keys: readonly string[]): Promise<(Citizen | HubError)[]> } | undefined;
  business?:
    | {
        lookup(keys: readonly string[]): Promise<(Enterprise | HubError)[]>;
        findByRepresentative(personalId: string): Promise<Enterprise[]>;
      }
    | undefined;
  land?: { getParcel(id: { communeCode: string; mapSheetNumber: number; parcelNumber: number }): Promise<Parcel> } | undefined;
}

const IDENTITY_ATTRIBUTES = ['fullName', 'dateOfBirth', 'sex', 'nationality'] as const;
const UNAVAILABLE: RegistryConfirmation = { outcome: 'REGISTRY_UNAVAILABLE' };
const notHeld = (detail: string): RegistryConfirmation => ({ outcome: 'NOT_IN_REGISTRY', detail });

/** The newest of these instants (RFC 3339), or null. */
function newest(updates: readonly { attribute: string; updatedAt: string }[], attributes: readonly string[]): Date | null {
  const times = updates.filter((u) => attributes.includes(u.attribute)).map((u) => Date.parse(u.updatedAt));
  const valid = times.filter((t) => Number.isFinite(t));
  return valid.length ? new Date(Math.max(...valid)) : null;
}

/** A registry's error as the reception sees it: "does not hold it" for an unknown or malformed key, else "not available". */
function fromError(error: unknown): RegistryConfirmation {
  if (error instanceof NotFoundError) return notHeld('not recorded');
  if (error instanceof InvalidInputError) return notHeld('not a key this registry knows');
  return UNAVAILABLE;
}

/**
 * Confirms, at reception, the facts papers rely on by asking the registries through their clients
 * (so the normal time limit, retries, circuit breaker and freshness-aware cache apply): population,
 * that the person exists and holds the attribute; business, that the enterprise is active with the
 * applicant as its legal representative; land, that the parcel exists and the applicant holds it.
 * Only the registries configured for confirmation (`RECEPTION_CONFIRMING_REGISTRIES`) are asked;
 * another answers REGISTRY_UNAVAILABLE, so the desk takes the paper.
 */
export class RegistryConfirmations implements RegistryConfirmationPort {
  constructor(
    private readonly registries: ConfirmingRegistries,
    private readonly enabled: ReadonlySet<RegistrySource>,
    private readonly logger: Logger,
  ) {}

  confirms(registry: RegistrySource): boolean {
    return this.enabled.has(registry);
  }

  async confirm(requests: readonly RegistryConfirmationRequest[]): Promise<RegistryConfirmation[]> {
    const citizens = await this.citizens(requests);
    return Promise.all(
      requests.map(async (request) => {
        if (!this.enabled.has(request.registry)) return UNAVAILABLE;
        try {
          if (request.registry === 'population') return this.population(request, citizens.get(request.applicantId));
          if (request.registry === 'business') return await this.business(request);
          return await this.land(request);
        } catch (error) {
          if (!(error instanceof HubError)) this.logger.warn({ err: error, registry: request.registry }, 'registry confirmation failed');
          return fromError(error);
        }
      }),
    );
  }

  /**
   * The person a population-backed paper is about: the applicant, or for an enterprise its legal
   * representative (whose personal papers its procedures ask for), as the business registry names them.
   */
  private async personOf(applicantId: string): Promise<string | undefined> {
    if (/^\d{12}$/.test(applicantId)) return applicantId;
    if (!this.registries.business || !this.enabled.has('business')) return undefined;
    const [enterprise] = await this.registries.business.lookup([applicantId.slice(0, 10)]);
    return enterprise && !(enterprise instanceof HubError) ? enterprise.legalRepresentative.personalId : undefined;
  }

  /** One batch call for every person the population-backed papers are about. */
  private async citizens(requests: readonly RegistryConfirmationRequest[]): Promise<Map<string, Citizen | HubError | undefined>> {
    const ids = [...new Set(requests.filter((r) => r.registry === 'population').map((r) => r.applicantId))];
    const found = new Map<string, Citizen | HubError | undefined>();
    if (ids.length === 0 || !this.registries.population || !this.enabled.has('population')) return found;
    try {
      const people = new Map<string, string | undefined>();
      for (const id of ids) people.set(id, await this.personOf(id));
      const personIds = [...new Set([...people.values()].filter((p): p is string => p !== undefined))];
      const records = personIds.length ? await this.registries.population.lookup(personIds) : [];
      const byPerson = new Map(personIds.map((p, index) => [p, records[index]]));
      for (const id of ids) {
        const person = people.get(id);
        found.set(
          id,
          person === undefined
            ? new NotFoundError('The applicant is not a person and no legal representative is known.')
            : byPerson.get(person),
        );
      }
    } catch (error) {
      const answer = error instanceof HubError ? error : undefined;
      if (!answer) this.logger.warn({ err: error }, 'population registry confirmation failed');
      for (const id of ids) found.set(id, answer);
    }
    return found;
  }

  private population(request: RegistryConfirmationRequest, citizen: Citizen | HubError | undefined): RegistryConfirmation {
    if (!this.registries.population || citizen === undefined) return UNAVAILABLE;
    if (citizen instanceof HubError) return fromError(citizen);
    const updates = citizen.attributeUpdates ?? [];
    if (request.attribute === 'identity')
      return { outcome: 'CONFIRMED', attribute: 'identity', lastUpdatedAt: newest(updates, IDENTITY_ATTRIBUTES) };
    if (!(CITIZEN_ATTRIBUTES as readonly string[]).includes(request.attribute))
      return notHeld(`the registry has no "${request.attribute}"`);
    const value = (citizen as unknown as Record<string, unknown>)[request.attribute];
    if (value === null || value === undefined || value === '') return notHeld(`no "${request.attribute}" is recorded`);
    return { outcome: 'CONFIRMED', attribute: request.attribute, lastUpdatedAt: newest(updates, [request.attribute]) };
  }

  private async business(request: RegistryConfirmationRequest): Promise<RegistryConfirmation> {
    const registry = this.registries.business;
    if (!registry) return UNAVAILABLE;
    const confirmed = (enterprise: Enterprise): RegistryConfirmation => ({
      outcome: 'CONFIRMED',
      attribute: request.attribute,
      lastUpdatedAt: newest(enterprise.attributeUpdates ?? [], ['status', 'legalRepresentative']),
    });
    if (/^\d{12}$/.test(request.applicantId)) {
      // A person applying about their business: an active enterprise they represent.
      const active = (await registry.findByRepresentative(request.applicantId)).find((e) => e.status === 'ACTIVE');
      return active ? confirmed(active) : notHeld('no active enterprise has the applicant as legal representative');
    }
    const [enterprise] = await registry.lookup([request.applicantId.slice(0, 10)]);
    if (enterprise === undefined) return UNAVAILABLE;
    if (enterprise instanceof HubError) return fromError(enterprise);
    return enterprise.status === 'ACTIVE' ? confirmed(enterprise) : notHeld(`the enterprise is ${enterprise.status.toLowerCase()}`);
  }

  private async land(request: RegistryConfirmationRequest): Promise<RegistryConfirmation> {
    if (!this.registries.land) return UNAVAILABLE;
    if (!request.landParcel) return notHeld('no land parcel was named');
    const parcel = await this.registries.land.getParcel(request.landParcel);
    const holder = request.applicantId.length > 12 ? request.applicantId.slice(0, 10) : request.applicantId;
    if (!parcel.owners.some((owner) => owner.ownerId === holder)) return notHeld('the applicant does not hold this parcel');
    const updated = Date.parse(parcel.lastUpdated);
    return { outcome: 'CONFIRMED', attribute: request.attribute, lastUpdatedAt: Number.isFinite(updated) ? new Date(updated) : null };
  }
}
