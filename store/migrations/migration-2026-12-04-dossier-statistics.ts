import { Migration } from '@mikro-orm/migrations';

/**
 * The figures `statistics` reports, kept per receiving agency, procedure and reception day (Vietnam
 * time) as dossiers change, so a year is a sum over at most agencies × procedures × 366 rows instead
 * of a scan of every dossier. Statement-level triggers on `dossier` add each changed row's new
 * contribution and take back its old one, in the transaction that changed it: every writer (the
 * services, a raw insert, a bulk load) keeps the figures right, exactly once. `overdueNow` depends on
 * the moment of the query, so it is counted over the pending dossiers through a partial index.
 * `dossier_statistics_rebuild()` recomputes the whole table from the dossiers.
 */
export class Migration20261204DossierStatistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "dossier_daily_statistics" (
      "day" date not null,
      "agency_code" text not null,
      "procedure_code" text not null,
      "received" bigint not null default 0,
      "resolved" bigint not null default 0,
      "early" bigint not null default 0,
      "on_time" bigint not null default 0,
      "late" bigint not null default 0,
      "pending" bigint not null default 0,
      "refused" bigint not null default 0,
      "withdrawn" bigint not null default 0,
      "stopped" bigint not null default 0,
      "online" bigint not null default 0,
      "reused" bigint not null default 0,
      "papers" bigint not null default 0,
      "missed_reuse" bigint not null default 0,
      "once_only" bigint not null default 0,
      "ratings" bigint not null default 0,
      "rating_sum" bigint not null default 0,
      primary key ("day", "agency_code", "procedure_code")
    );`);
    this.addSql(`create index "dossier_daily_statistics_agency_day_index" on "dossier_daily_statistics" ("agency_code", "day");`);
    // overdueNow: the pending dossiers only (a small share of all once a period is over).
    this.addSql(`create index "dossier_pending_received_index" on "dossier" ("received_at", "receiving_agency_code") include ("due_at")
      where "resolved_at" is null and "status" not in ('REFUSED', 'WITHDRAWN', 'STOPPED');`);
    // One row's contribution to its day, signed (+1 for the row as it is now, -1 for what it was).
    this.addSql(`create function "dossier_statistics_contribution"(sign integer) returns text language sql immutable as $$
      select 'select (received_at at time zone ''UTC'' + interval ''7 hours'')::date as day,
          receiving_agency_code as agency_code, procedure_code,
          ' || sign || ' as received,
          ' || sign || ' * ((resolved_at is not null) is true)::int as resolved,
          ' || sign || ' * ((completion = ''EARLY'') is true)::int as early,
          ' || sign || ' * ((completion = ''ON_TIME'') is true)::int as on_time,
          ' || sign || ' * ((completion = ''LATE'') is true)::int as late,
          ' || sign || ' * ((resolved_at is null and status not in (''REFUSED'', ''WITHDRAWN'', ''STOPPED'')) is true)::int as pending,
          ' || sign || ' * ((status = ''REFUSED'') is true)::int as refused,
          ' || sign || ' * ((status = ''WITHDRAWN'') is true)::int as withdrawn,
          ' || sign || ' * ((status = ''STOPPED'') is true)::int as stopped,
          ' || sign || ' * ((channel = ''ONLINE'') is true)::int as online,
          ' || sign || ' * reused_components as reused,
          ' || sign || ' * total_components as papers,
          ' || sign || ' * missed_reuse as missed_reuse,
          ' || sign || ' * ((missed_reuse = 0) is true)::int as once_only,
          ' || sign || ' * ((rating is not null) is true)::int as ratings,
          ' || sign || ' * coalesce(rating, 0) as rating_sum'
    $$;`);
    this.addSql(`create function "dossier_statistics_apply"() returns trigger language plpgsql set search_path from current as $$
      declare
        parts text[] := '{}';
      begin
        if tg_op in ('INSERT', 'UPDATE') then
          parts := parts || (dossier_statistics_contribution(1) || ' from new_rows');
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          parts := parts || (dossier_statistics_contribution(-1) || ' from old_rows');
        end if;
        -- Summed per key first; keys whose figures did not move (an update of other columns) are skipped;
        -- rows are taken in key order so concurrent transactions lock them in the same order.
        execute 'insert into dossier_daily_statistics as s
          select day, agency_code, procedure_code, sum(received), sum(resolved), sum(early), sum(on_time), sum(late),
            sum(pending), sum(refused), sum(withdrawn), sum(stopped), sum(online), sum(reused), sum(papers),
            sum(missed_reuse), sum(once_only), sum(ratings), sum(rating_sum)
          from (' || array_to_string(parts, ' union all ') || ') c
          group by day, agency_code, procedure_code
          having sum(received) <> 0 or sum(resolved) <> 0 or sum(early) <> 0 or sum(on_time) <> 0 or sum(late) <> 0 or sum(pending) <> 0
            or sum(refused) <> 0 or sum(withdrawn) <> 0 or sum(stopped) <> 0 or sum(online) <> 0 or sum(reused) <> 0
            or sum(papers) <> 0 or sum(missed_reuse) <> 0 or sum(once_only) <> 0 or sum(ratings) <> 0 or sum(rating_sum) <> 0
          order by day, agency_code, procedure_code
          on conflict (day, agency_code, procedure_code) do update set
            received = s.received + excluded.received, resolved = s.resolved + excluded.resolved,
            early = s.early + excluded.early, on_time = s.on_time + excluded.on_time, late = s.late + excluded.late,
            pending = s.pending + excluded.pending, refused = s.refused + excluded.refused,
            withdrawn = s.withdrawn + excluded.withdrawn, stopped = s.stopped + excluded.stopped,
            online = s.online + excluded.online, reused = s.reused + excluded.reused, papers = s.papers + excluded.papers,
            missed_reuse = s.missed_reuse + excluded.missed_reuse, once_only = s.once_only + excluded.once_only,
            ratings = s.ratings + excluded.ratings, rating_sum = s.rating_sum + excluded.rating_sum';
        return null;
      end
    $$;`);
    this.addSql(`create trigger "dossier_statistics_insert" after insert on "dossier"
      referencing new table as new_rows for each statement execute function dossier_statistics_apply();`);
    this.addSql(`create trigger "dossier_statistics_update" after update on "dossier"
      referencing old table as old_rows new table as new_rows for each statement execute function dossier_statistics_apply();`);
    this.addSql(`create trigger "dossier_statistics_delete" after delete on "dossier"
      referencing old table as old_rows for each statement execute function dossier_statistics_apply();`);
    // Emptying the dossiers empties their figures.
    this.addSql(`create function "dossier_statistics_clear"() returns trigger language plpgsql set search_path from current as $$
      begin
        delete from dossier_daily_statistics;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "dossier_statistics_truncate" after truncate on "dossier"
      for each statement execute function dossier_statistics_clear();`);
    // The days from `first` to before `last` again from the dossiers received on them (Vietnam days).
    this
      .addSql(`create function "dossier_statistics_rebuild"(first date, last date) returns bigint language plpgsql set search_path from current as $$
      declare
        written bigint;
      begin
        delete from dossier_daily_statistics where day >= first and day < last;
        execute 'insert into dossier_daily_statistics
          select day, agency_code, procedure_code, sum(received), sum(resolved), sum(early), sum(on_time), sum(late),
            sum(pending), sum(refused), sum(withdrawn), sum(stopped), sum(online), sum(reused), sum(papers),
            sum(missed_reuse), sum(once_only), sum(ratings), sum(rating_sum)
          from (' || dossier_statistics_contribution(1) || ' from dossier
            where received_at >= ($1::timestamp at time zone ''UTC'' - interval ''7 hours'')
              and received_at < ($2::timestamp at time zone ''UTC'' - interval ''7 hours'')) c
          group by day, agency_code, procedure_code' using first, last;
        get diagnostics written = row_count;
        return written;
      end
    $$;`);
    // The whole table.
    this.addSql(`create function "dossier_statistics_rebuild"() returns bigint language plpgsql set search_path from current as $$
      begin
        lock table dossier in share mode;
        delete from dossier_daily_statistics;
        return dossier_statistics_rebuild('-infinity'::date, 'infinity'::date);
      end
    $$;`);
    this.addSql(`select dossier_statistics_rebuild();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "dossier_statistics_insert" on "dossier";`);
    this.addSql(`drop trigger if exists "dossier_statistics_update" on "dossier";`);
    this.addSql(`drop trigger if exists "dossier_statistics_delete" on "dossier";`);
    this.addSql(`drop trigger if exists "dossier_statistics_truncate" on "dossier";`);
    this.addSql(`drop function if exists "dossier_statistics_clear"();`);
    this.addSql(`drop function if exists "dossier_statistics_rebuild"();`);
    this.addSql(`drop function if exists "dossier_statistics_rebuild"(date, date);`);
    this.addSql(`drop function if exists "dossier_statistics_apply"();`);
    this.addSql(`drop function if exists "dossier_statistics_contribution"(integer);`);
    this.addSql(`drop index if exists "dossier_pending_received_index";`);
    this.addSql(`drop table if exists "dossier_daily_statistics";`);
  }
}
