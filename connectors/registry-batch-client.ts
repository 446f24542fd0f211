import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { HubError, InvalidInputError, NotFoundError, UpstreamUnavailableError } from '../domain/errors';
import { systemClock, type Clock } from '../domain/clock';
import { mayServeCached } from '../domain/consent/data-life';
import type { Logger } from '../platform/logger';
import { RecordCache } from './record-cache';
import { fullSelection } from './selection';
import { UpstreamPolicy } from './upstream-policy';
import type { UpstreamFetch } from './upstream-tls';

/** How one registry's batch look-up is named in the composed graph (from its API description). */
export interface BatchLookupShape<T> {
  /** The upstream in messages: "population registry". */
  name: string;
  /** Prefix of error reasons: POPULATION_REGISTRY. */
  reasonPrefix: string;
  /** Root field of the batch operation, e.g. lookupCitizens. */
  operation: string;
  /** Its input type and the list field in it: CitizenLookupRequest_Input, personalIds. */
  inputType: string;
  inputField: string;
  /** The success type and its fields: CitizenLookupResult, citizens (of type Citizen). */
  resultType: string;
  listField: string;
  recordType: string;
  keyOf(record: T): string;
  /** Officer-readable messages for an unknown and a malformed key. */
  notFoundMessage: string;
  invalidMessage: string;
  /** Seconds a record fetched at `fetchedAt` may be reused, within `limitSeconds`; without it, `limitSeconds`. */
  lifetimeSeconds?(record: T, fetchedAt: Date, limitSeconds: number): number;
  /**
   * Problems that mean the hub is set up wrong, not that the registry is down, with the fix for the
   * operator: logged as errors (still UPSTREAM_UNAVAILABLE to the caller, whom it does not concern).
   */
  setupProblems?: Readonly<Record<string, string>>;
}

export interface BatchClientOptions {
  /** Base URL, also used for the health check. */
  url: string;
  /** Time limit of one call. @default 3000 */
  timeoutMs: number;
  /** The longest a record is reused before asking again (0: never). @default 60 */
  cacheTtlSeconds?: number;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** The HTTP client of the health check (the graph's operations get theirs from the graph). @default Node's fetch */
  fetch?: UpstreamFetch;
  /** Calls in flight and waiting at most (the upstream policy's bulkhead). @default DEFAULT_CONCURRENCY */
  concurrency?: { maxConcurrent: number; maxQueued: number } | undefined;
}

/** How fresh a read needs its records: under a consent, no older than its data life (0: from the registry). */
export interface ReadFreshness {
  dataLifeSeconds?: number | undefined;
}

/** One batch call carries at most this many keys (the registries' documented limit). */
export const MAX_BATCH = 500;

interface LookupResult {
  __typename: string;
  notFound?: string[];
  invalid?: string[];
  status?: number;
  code?: string;
  [list: string]: unknown;
}

/**
 * A registry read through the Mesh-composed graph with batch look-ups: one call for many keys,
 * records cached for a while, the upstream policy (time limit, retries, circuit breaker) around each
 * call, and the hub's error semantics: unknown → NOT_FOUND, malformed → BAD_USER_INPUT, anything
 * else → UPSTREAM_UNAVAILABLE.
 */
export class RegistryBatchClient<T> {
  private readonly lookupDocument: DocumentNode;
  readonly policy: UpstreamPolicy;
  private readonly cache: RecordCache<T & object>;
  /** When each record was read from the registry (a cached record keeps its first read). */
  private readonly fetchedAt = new WeakMap<object, Date>();
  /** Calls made to the registry (batches), for metrics and tests. */
  calls = 0;

  constructor(
    private readonly registrySchema: GraphQLSchema,
    private readonly shape: BatchLookupShape<T>,
    private readonly options: BatchClientOptions,
  ) {
    this.policy = new UpstreamPolicy({ name: shape.name, timeoutMs: options.timeoutMs, ...options.concurrency });
    this.cache = new RecordCache<T & object>({ limitSeconds: options.cacheTtlSeconds ?? 60, lifetimeSeconds: shape.lifetimeSeconds });
    this.lookupDocument = parse(`query Lookup($input: ${shape.inputType}) {
      ${shape.operation}(input: $input) {
        __typename
        ... on ${shape.resultType} { ${shape.listField} ${fullSelection(registrySchema, shape.recordType)} notFound invalid }
        ... on Problem { status code }
      }
    }`);
  }

  /**
   * Looks up many keys in one call; each position holds the record or the typed error for that key.
   * A read under a consent (`dataLifeSeconds`) takes no cached record older than its data life.
   */
  async lookup(keys: readonly string[], freshness: ReadFreshness = {}): Promise<(T | HubError)[]> {
    const found = new Map<string, T | HubError>();
    const { dataLifeSeconds } = freshness;
    const now = this.now();
    const accept = dataLifeSeconds === undefined ? undefined : (fetchedAt: Date) => mayServeCached(fetchedAt, now, dataLifeSeconds);
    for (const key of keys) {
      const cached = this.cache.get(key, accept);
      if (cached) found.set(key, cached);
    }
    const missing = [...new Set(keys)].filter((key) => !found.has(key));
    for (let start = 0; start < missing.length; start += MAX_BATCH) {
      const result = await this.call(missing.slice(start, start + MAX_BATCH));
      const fetchedAt = this.now();
      for (const record of (result[this.shape.listField] as (T & object)[] | undefined) ?? []) {
        found.set(this.shape.keyOf(record), record);
        this.fetchedAt.set(record, fetchedAt);
        this.cache.remember(this.shape.keyOf(record), record, fetchedAt);
      }
      for (const key of result.notFound ?? [])
        found.set(key, new NotFoundError(this.shape.notFoundMessage, { reason: `${this.shape.reasonPrefix}.NOT_FOUND` }));
      for (const key of result.invalid ?? [])
        found.set(key, new InvalidInputError(this.shape.invalidMessage, { reason: `${this.shape.reasonPrefix}.INVALID_KEY` }));
    }
    return keys.map(
      (key) =>
        found.get(key) ??
        new UpstreamUnavailableError(`The ${this.shape.name} did not answer for this record.`, {
          reason: `${this.shape.reasonPrefix}.INCOMPLETE_ANSWER`,
        }),
    );
  }

  /** When the hub read this record from the registry (undefined for an object it did not return). */
  retrievedAt(record: object): Date | undefined {
    return this.fetchedAt.get(record);
  }

  private now(): Date {
    return (this.options.clock ?? systemClock).now();
  }

  /** Seconds a cached record has left (0 when not cached): for operators and tests. */
  cachedSecondsLeft(key: string): number {
    return this.cache.secondsLeft(key);
  }

  private call(keys: string[]): Promise<LookupResult> {
    return this.runOperation<LookupResult>(this.lookupDocument, this.shape.operation, { input: { [this.shape.inputField]: keys } });
  }

  /** The full selection of a registry type, for documents of subclasses. */
  protected selectionOf(typeName: string): string {
    return fullSelection(this.registrySchema, typeName);
  }

  /**
   * Runs one read operation of the composed registry under the upstream policy. Its result must
   * select `__typename` and, on `Problem`, `status code`: a problem named in `answers` becomes that
   * error (the caller's, not retried); any other problem or a transport error is UPSTREAM_UNAVAILABLE.
   */
  protected async runOperation<R extends { __typename: string; status?: number; code?: string }>(
    document: DocumentNode,
    operation: string,
    variables: Record<string, unknown>,
    answers: Readonly<Record<string, () => HubError>> = {},
  ): Promise<R> {
    this.calls += 1;
    const unavailable = (reason: string) =>
      new UpstreamUnavailableError(`The ${this.shape.name} is not available right now. Try again in a moment.`, {
        reason: `${this.shape.reasonPrefix}.${reason}`,
      });
    return this.policy.execute(
      async () => {
        const response = await execute({
          schema: this.registrySchema,
          document,
          variableValues: variables,
          contextValue: {},
        });
        const data = response.data?.[operation] as R | null | undefined;
        if (response.errors?.length || !data) {
          this.options.logger.warn({ errors: response.errors?.map((e) => e.message) }, `${this.shape.name} call failed`);
          throw unavailable('UNAVAILABLE');
        }
        if (data.__typename === 'Problem') {
          const answer = data.code === undefined ? undefined : answers[data.code];
          if (answer) throw answer();
          const fix = data.code === undefined ? undefined : this.shape.setupProblems?.[data.code];
          if (fix) this.options.logger.error({ status: data.status, code: data.code }, `${this.shape.name} refused the hub: ${fix}`);
          else this.options.logger.warn({ status: data.status, code: data.code }, `${this.shape.name} answered with a problem`);
          throw unavailable(data.code ?? 'PROBLEM');
        }
        return data;
      },
      { idempotent: true },
    );
  }

  /** Forgets every cached record (an operator's refresh; tests). */
  clearCache(): void {
    this.cache.clear();
  }

  /** Readiness: the circuit is not open and the registry answers its health endpoint in time. */
  checkHealth(): Promise<void> {
    return this.policy.probe(new URL('/healthz', this.options.url), this.options.fetch);
  }
}
