import { Client } from 'pg';
import { systemClock } from '../../domain/clock';
import { EVENT_TYPES } from '../../domain/events/dossier-events';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import { serviceSettingsFor } from '../../gateway/hub';
import { loadConfig } from '../../platform/config';
import { openStore, type Store } from '../../store/database';
import { OutboxStore } from '../../store/outbox';
import { OUTBOX_CHANNEL, OutboxListener } from '../../store/outbox-notifications';
import { createServices, type StoreServices } from '../../store/services';
import { KafkaEventBus } from '../../workers/event-bus/kafka-event-bus';
import { OutboxRelay } from '../../workers/outbox-relay';
import { quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, loadCatalogue, receiveComplete } from '../support/hub-fixtures';
import { collectMessages, freshTopicPrefix } from '../support/kafka';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';

jest.setTimeout(180_000);

/** Statements the server logged (log_statement = all): simple-protocol `statement:` and extended-protocol `execute`. */
function statementsIn(log: string): string[] {
  return log.split('\n').filter((line) => /LOG:\s+(statement|execute [^:]*):/.test(line));
}

const until = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * Two replicas on one PostgreSQL server of the test's own: replica A receives dossiers (and has no
 * relay), replica B's relay publishes them to Kafka. B's safety poll is an hour and its lease is
 * renewed every 40 s, so an event reaching Kafka promptly came by LISTEN/NOTIFY.
 */
describe('the outbox relay is woken by commits of another replica (LISTEN/NOTIFY)', () => {
  const schema = 'hub';
  const prefix = freshTopicPrefix('notify');
  let pg: PrivatePostgres;
  let storeA: Store;
  let storeB: Store;
  let services: StoreServices;
  let bus: KafkaEventBus;
  let listener: OutboxListener;
  let relay: OutboxRelay;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let applicant = 0;

  const receiveOnA = () =>
    receiveComplete(services, {
      procedureCode: BIRTH_REGISTRATION,
      applicantId: generateCitizen(TEST_SIMULATOR_SEED, 40 + applicant++).personalId,
      channel: 'DESK',
      agencyCode: DESK,
    });
  const published = (code: string) => collector.messages.some((m) => m.key === code);

  beforeAll(async () => {
    pg = await startPrivatePostgres('notify');
    const open = () => openStore({ databaseUrl: pg.url, dataDir: 'data/unused', poolMax: 2, embeddedPort: 0, schema }, quietLogger);
    storeA = await open();
    storeB = await open();
    ({ services } = createServices(storeA.orm, systemClock, serviceSettingsFor(loadConfig({}))));
    await loadCatalogue(services);
    bus = new KafkaEventBus({
      brokers: testEnv('kafkaBrokers').split(','),
      clientId: 'hub-notify-test',
      topicPrefix: prefix,
      consumerGroup: 'hub-notify-test',
      logger: quietLogger,
    });
    await bus.start();
    collector = await collectMessages(EVENT_TYPES.map((type) => `${prefix}${type}`));
    listener = new OutboxListener(storeB.url, schema, quietLogger, { maxReconnectDelayMs: 1000 });
    relay = new OutboxRelay(new OutboxStore(storeB.orm), bus, quietLogger, {
      batchSize: 50,
      holder: 'replica-b',
      leaseTtlMs: 120_000,
      safetyPollMs: 3_600_000,
      notifications: listener,
    });
    relay.start();
    await until(() => relay.status.holdsLease && relay.status.rounds > 0 && listener.connected, 'relay B started');
  });

  afterAll(async () => {
    await collector?.consumer.disconnect();
    await relay?.stop();
    await bus?.close();
    await storeA?.close();
    await storeB?.close();
    await pg?.destroy();
  });

  it('publishes an event committed on replica A, woken by its notification (the safety poll is an hour away)', async () => {
    const rounds = relay.status.rounds;
    const dossier = await receiveOnA();
    await collector.waitFor(() => published(dossier.code), 60_000);
    expect(relay.status.rounds).toBeGreaterThan(rounds);
  });

  it('at rest, the relay sends the database no statement at all', async () => {
    await receiveOnA();
    await until(async () => (await new OutboxStore(storeA.orm).countUnpublished()) === 0, 'outbox drained');
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    await client.query(`alter system set log_statement = 'all'`);
    await client.query('select pg_reload_conf()');
    // The new setting reaches each session at its next command: ask until one is logged.
    await until(async () => {
      await client.query(`select 'statement logging on'`);
      return /statement: select 'statement logging on'/.test(pg.log());
    }, 'statement logging on');
    await client.end();
    const offset = pg.log().length;
    const rounds = relay.status.rounds;
    // A window of 3 s at rest: the relay that polled every 250 ms sent 24 statements in it (12 lease renewals, 12 reads).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(statementsIn(pg.log().slice(offset))).toEqual([]);
    expect(relay.status.rounds).toBe(rounds);
  });

  it('a notification for another schema on the same server (another hub) does not wake the relay', async () => {
    const rounds = relay.status.rounds;
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    await client.query(`select pg_notify($1, 'another_hub')`, [OUTBOX_CHANNEL]);
    // A marker for this schema, sent after: once it has woken the relay, the first one was seen too.
    await client.query(`select pg_notify($1, $2)`, [OUTBOX_CHANNEL, schema]);
    await client.end();
    await until(() => relay.status.rounds > rounds, 'woken by the marker');
    expect(relay.status.rounds).toBe(rounds + 1);
  });

  it.each([['fast' as const], ['immediate' as const]])(
    'after a database restart (%s), the listener reconnects and no event is lost',
    async (mode) => {
      const before = await receiveOnA();
      await collector.waitFor(() => published(before.code), 60_000);
      const connections = listener.connections;
      await pg.stop(mode);
      await pg.start();
      await until(() => listener.connected && listener.connections > connections, 'listener reconnected');
      // Written after the reconnection: only a notification can wake the relay for it.
      // (A's pooled connections died with the server: its first use may fail, as a caller's would.)
      let after: Awaited<ReturnType<typeof receiveOnA>> | undefined;
      for (let attempt = 0; !after && attempt < 20; attempt += 1) after = await receiveOnA().catch(() => undefined);
      if (!after) throw new Error('replica A could not write after the restart');
      await collector.waitFor(() => published(after!.code), 60_000);
      const rows = await storeA.orm.em
        .fork()
        .execute<{ subject: string; published: boolean }[]>(`select subject, published_at is not null as published from outbox_event`);
      expect(rows.filter((row) => !row.published)).toEqual([]);
      expect(rows.filter((row) => !published(row.subject))).toEqual([]);
    },
  );
});
