/**
 * A consent's data life: how long the portal may keep what it reads under it. The hub cannot delete
 * anything at the portal (that is the portal's duty); it makes the limit effective where it can: it
 * states until when each value may be kept, forbids HTTP caches to store the answer, and never
 * serves a read under the consent from a registry answer it cached longer ago than the data life.
 */

/** The Cache-Control of every answer carrying personal data read under a consent (or any other basis). */
export const PERSONAL_DATA_CACHE_CONTROL = 'no-store';

/** Until when the portal may keep a value the hub read from its registry at `retrievedAt`: null without a value. */
export function keepUntil(value: string | null, retrievedAt: Date | null, dataLifeSeconds: number): Date | null {
  if (value === null || retrievedAt === null) return null;
  return new Date(retrievedAt.getTime() + Math.max(0, dataLifeSeconds) * 1000);
}

/**
 * May a registry answer the hub fetched at `fetchedAt` (and cached) serve a read under a consent of
 * this data life at `now`? Only while younger than the data life, so that what the portal receives
 * may still be kept for a while: data life 0 reads the registry afresh every time.
 */
export function mayServeCached(fetchedAt: Date, now: Date, dataLifeSeconds: number): boolean {
  return now.getTime() - fetchedAt.getTime() < dataLifeSeconds * 1000;
}
