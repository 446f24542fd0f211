import type { HubOrm } from '../../store/orm';

/**
 * Row count and a checksum of every row of every table in the hub's schema: equal fingerprints, equal
 * data. The relay's lease is left out: it is a heartbeat, renewed on a timer whatever the traffic.
 */
export async function databaseFingerprint(orm: HubOrm): Promise<Record<string, string>> {
  const em = orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'outbox_relay_lease' order by table_name`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await em.execute<{ n: string; sum: string | null }[]>(
      `select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from "${table_name}" t`,
    );
    fingerprint[table_name] = `${row!.n}:${row!.sum}`;
  }
  return fingerprint;
}

/** Waits until every committed event is published and consumed, so a fingerprint is not taken mid-delivery. */
export async function waitForQuietOutbox(orm: HubOrm, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await orm.em.fork().execute<{ pending: string; unconsumed: string }[]>(
      `select (select count(*) from outbox_event where published_at is null)::text as pending,
                (select count(*) from outbox_event o where not exists (select 1 from consumed_event c where c.event_id = o.event_id))::text as unconsumed`,
    );
    if (row!.pending === '0' && row!.unconsumed === '0') return;
    if (Date.now() > deadline) throw new Error(`outbox not quiet: ${row!.pending} unpublished, ${row!.unconsumed} unconsumed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
