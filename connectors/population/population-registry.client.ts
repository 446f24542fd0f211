import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { HubError, InvalidInputError, NotFoundError, UpstreamUnavailableError } from '../../domain/errors';
import type { Logger } from '../../platform/logger';
import { LRUCache } from 'lru-cache';
import { fullSelection } from '../selection';
import { UpstreamPolicy } from '../upstream-policy';
import type { Citizen } from './population-registry.types';

export interface PopulationRegistryClientOptions {
  /** Base URL, also used for the health check. */
  url: string;
  /** Time limit of one call. @default 3000 */
  timeoutMs: number;
  /**
   * How long a citizen record is reused before asking again (0: never). Registry data changes
   * rarely within minutes; a dossier list then costs one call, not one per page. @default 60
   */
  cacheTtlSeconds?: number;
  logger: Logger;
}

/** One batch call carries at most this many ids (the registry's documented limit). */
export const MAX_BATCH = 500;

interface LookupResult {
  __typename: 'CitizenLookupResult' | 'Problem';
  citizens?: Citizen[];
  notFound?: string[];
  invalid?: string[];
  status?: number;
  code?: string;
}

/**
 * The population registry connector. Calls go through the Mesh-composed graph (the REST mapping
 * comes from the registry's OpenAPI description); this class adds the hub's error semantics:
 * unknown → NOT_FOUND, malformed → BAD_USER_INPUT, anything else → UPSTREAM_UNAVAILABLE.
 */
export class PopulationRegistryClient {
  private readonly lookupDocument: DocumentNode;
  readonly policy: UpstreamPolicy;
  private readonly cache: LRUCache<string, Citizen> | undefined;
  /** Calls made to the registry (batches), for metrics and tests. */
  calls = 0;

  constructor(
    private readonly registrySchema: GraphQLSchema,
    private readonly options: PopulationRegistryClientOptions,
  ) {
    this.policy = new UpstreamPolicy({ name: 'population registry', timeoutMs: options.timeoutMs });
    const ttl = (options.cacheTtlSeconds ?? 60) * 1000;
    this.cache = ttl > 0 ? new LRUCache<string, Citizen>({ max: 50_000, ttl }) : undefined;
    this.lookupDocument = parse(`query LookupCitizens($input: CitizenLookupRequest_Input) {
      lookupCitizens(input: $input) {
        __typename
        ... on CitizenLookupResult { citizens ${fullSelection(registrySchema, 'Citizen')} notFound invalid }
        ... on Problem { status code }
      }
    }`);
  }

  /** Looks up many ids in one call; each position holds the citizen or the typed error for that id. */
  async lookup(personalIds: readonly string[]): Promise<(Citizen | HubError)[]> {
    const found = new Map<string, Citizen | HubError>();
    for (const id of personalIds) {
      const cached = this.cache?.get(id);
      if (cached) found.set(id, cached);
    }
    const unique = [...new Set(personalIds)].filter((id) => !found.has(id));
    for (let start = 0; start < unique.length; start += MAX_BATCH) {
      const chunk = unique.slice(start, start + MAX_BATCH);
      const result = await this.call(chunk);
      for (const citizen of result.citizens ?? []) {
        found.set(citizen.personalId, citizen);
        this.cache?.set(citizen.personalId, citizen);
      }
      for (const id of result.notFound ?? []) {
        found.set(
          id,
          new NotFoundError('No citizen with this personal id is recorded in the national population registry.', {
            reason: 'CITIZEN.NOT_FOUND',
          }),
        );
      }
      for (const id of result.invalid ?? []) {
        found.set(
          id,
          new InvalidInputError('This is not a valid 12-digit personal identification number.', { reason: 'CITIZEN.INVALID_PERSONAL_ID' }),
        );
      }
    }
    return personalIds.map(
      (id) =>
        found.get(id) ??
        new UpstreamUnavailableError('The population registry did not answer for this person.', {
          reason: 'POPULATION_REGISTRY.INCOMPLETE_ANSWER',
        }),
    );
  }

  private async call(personalIds: string[]): Promise<LookupResult> {
    this.calls += 1;
    return this.policy.execute(
      async () => {
        const response = await execute({
          schema: this.registrySchema,
          document: this.lookupDocument,
          variableValues: { input: { personalIds } },
          contextValue: {},
        });
        const data = response.data?.lookupCitizens as LookupResult | null | undefined;
        if (response.errors?.length || !data) {
          this.options.logger.warn({ errors: response.errors?.map((e) => e.message) }, 'population registry call failed');
          throw new UpstreamUnavailableError('The population registry is not available right now. Try again in a moment.', {
            reason: 'POPULATION_REGISTRY.UNAVAILABLE',
          });
        }
        if (data.__typename === 'Problem') {
          this.options.logger.warn({ status: data.status, code: data.code }, 'population registry answered with a problem');
          throw new UpstreamUnavailableError('The population registry is not available right now. Try again in a moment.', {
            reason: `POPULATION_REGISTRY.${data.code ?? 'PROBLEM'}`,
          });
        }
        return data;
      },
      { idempotent: true },
    );
  }

  /** Forgets every cached record (an operator's refresh; tests). */
  clearCache(): void {
    this.cache?.clear();
  }

  /** Readiness: the registry answers its health endpoint within the time limit. */
  async checkHealth(): Promise<void> {
    if (this.policy.state === 'open') throw new Error('circuit open after repeated failures');
    const response = await fetch(new URL('/healthz', this.options.url), { signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (!response.ok) throw new Error(`population registry health answered HTTP ${response.status}`);
  }
}
