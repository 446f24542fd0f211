/**
 * How long a registry record may be reused from the cache, decided attribute by attribute.
 *
 * A registry tells when each attribute last changed. An attribute that changed recently is likely
 * to change again soon; one unchanged for years is not. So each attribute is reused for a share of
 * its age when fetched (the heuristic freshness of HTTP caching, RFC 9111 §4.2.2), never longer than
 * that attribute's own cap, nor than the operator's limit. The record is reused only while every
 * attribute is still fresh: its lifetime is the shortest of them.
 */
export interface AttributeUpdate {
  attribute: string;
  /** ISO 8601 date-time. */
  updatedAt: string;
}

export interface FreshnessPolicy {
  /** Share of an attribute's age it may be reused for. RFC 9111 suggests 0.1. */
  ageShare: number;
  /** Per attribute: the longest it may be reused, in seconds. */
  maxAgeSeconds: Readonly<Record<string, number>>;
  /** For an attribute without a cap of its own. */
  defaultMaxAgeSeconds: number;
}

/** Population attributes: identity facts barely change; residence, household and marital status do. */
export const POPULATION_FRESHNESS: FreshnessPolicy = {
  ageShare: 0.1,
  maxAgeSeconds: {
    dateOfBirth: 86_400,
    sex: 86_400,
    ethnicity: 86_400,
    nationality: 86_400,
    fullName: 3_600,
    permanentResidence: 600,
    currentResidence: 300,
    householdId: 600,
    maritalStatus: 600,
  },
  defaultMaxAgeSeconds: 300,
};

/** Land records carry one update time: a parcel just transferred or mortgaged is asked for again soon. */
export const LAND_FRESHNESS: FreshnessPolicy = {
  ageShare: 0.1,
  maxAgeSeconds: {},
  defaultMaxAgeSeconds: 900,
};

/**
 * Seconds the record fetched at `fetchedAt` may be reused: the shortest attribute lifetime, within
 * `limitSeconds` (the operator's cap; 0 means never reuse). An update time that is unreadable or in
 * the future (clock skew) counts as "just changed".
 */
export function recordLifetimeSeconds(
  updates: readonly AttributeUpdate[],
  fetchedAt: Date,
  policy: FreshnessPolicy,
  limitSeconds: number,
): number {
  let lifetime = Math.max(0, limitSeconds);
  for (const update of updates) {
    const cap = policy.maxAgeSeconds[update.attribute] ?? policy.defaultMaxAgeSeconds;
    const updated = Date.parse(update.updatedAt);
    const ageSeconds = Number.isNaN(updated) ? 0 : Math.max(0, (fetchedAt.getTime() - updated) / 1000);
    lifetime = Math.min(lifetime, cap, Math.floor(ageSeconds * policy.ageShare));
  }
  return lifetime;
}
