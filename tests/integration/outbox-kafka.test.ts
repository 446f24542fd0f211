import { EVENT_TYPES } from '../../domain/events/dossier-events';
import { systemClock } from '../../domain/clock';
import { serviceSettingsFor } from '../../gateway/hub';
import { loadConfig } from '../../platform/config';
import { generateCitizen } from '../../connectors/population/simulator/citizen-generator';
import type { Store } from '../../store/database';
import { OutboxStore } from '../../store/outbox';
import { createServices, type StoreServices } from '../../store/services';
import type { UnitOfWork } from '../../store/unit-of-work';
import { KafkaEventBus } from '../../workers/event-bus/kafka-event-bus';
import { OutboxRelay } from '../../workers/outbox-relay';
import { dropSchema, freshSchemaName, openTestStore, quietLogger } from '../support/database';
import { TEST_SIMULATOR_SEED, testEnv } from '../support/environment';
import { BIRTH_REGISTRATION, DESK, loadCatalogue, receiveComplete } from '../support/hub-fixtures';
import { collectMessages, freshTopicPrefix } from '../support/kafka';
import { agencySystem } from '../../domain/access/principal';

describe('transactional outbox through the real Kafka broker', () => {
  const schema = freshSchemaName('outbox');
  const prefix = freshTopicPrefix('outbox');
  let store: Store;
  let services: StoreServices;
  let uow: UnitOfWork;
  let bus: KafkaEventBus;
  let relay: OutboxRelay;
  let collector: Awaited<ReturnType<typeof collectMessages>>;

  beforeAll(async () => {
    store = await openTestStore(schema);
    ({ services, uow } = createServices(store.orm, systemClock, serviceSettingsFor(loadConfig({}))));
    await loadCatalogue(services);
    bus = new KafkaEventBus({
      brokers: testEnv('kafkaBrokers').split(','),
      clientId: 'hub-test',
      topicPrefix: prefix,
      consumerGroup: 'hub-test',
      logger: quietLogger,
    });
    await bus.start();
    relay = new OutboxRelay(new OutboxStore(store.orm), bus, quietLogger, { batchSize: 50 });
    uow.onCommit(() => relay.wake());
    relay.start();
    collector = await collectMessages(EVENT_TYPES.map((type) => `${prefix}${type}`));
  });

  afterAll(async () => {
    await collector?.consumer.disconnect();
    await relay?.stop();
    await bus?.close();
    await store?.close();
    await dropSchema(schema);
  });

  it('delivers an event committed with its change, and never one whose transaction rolled back', async () => {
    const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 7).personalId;
    const committed = await receiveComplete(services, {
      procedureCode: BIRTH_REGISTRATION,
      applicantId,
      channel: 'DESK',
      agencyCode: DESK,
    });

    // A use case that records its event and then fails: both the change and the event are rolled back.
    await expect(
      uow.run(async (_em, events) => {
        events.record({ type: 'dossier.received', subject: 'ROLLED-BACK-260101-0001', occurredAt: new Date(), data: {} });
        throw new Error('the officer’s action failed half-way');
      }),
    ).rejects.toThrow('half-way');
    // A rejected reception (unknown procedure) writes nothing either.
    await expect(services.dossiers.receive({ procedureCode: '9.999999', applicantId, channel: 'DESK', agencyCode: DESK })).rejects.toThrow(
      /no procedure/,
    );

    // A later committed change: once it has arrived, anything published before it has too.
    const marker = await receiveComplete(services, { procedureCode: BIRTH_REGISTRATION, applicantId, channel: 'ONLINE', agencyCode: DESK });
    await collector.waitFor((messages) => messages.some((m) => m.key === marker.code));

    const received = collector.messages.filter((m) => m.topic === `${prefix}dossier.received`);
    expect(received.map((m) => m.key)).toEqual([committed.code, marker.code]);
    expect(collector.messages.some((m) => m.key?.startsWith('ROLLED-BACK'))).toBe(false);

    const first = received[0]!;
    expect(first.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(first.value).toMatchObject({
      specversion: '1.0',
      type: 'vn.gov.onestop.dossier.received',
      subject: committed.code,
      datacontenttype: 'application/json',
      data: { code: committed.code, procedureCode: BIRTH_REGISTRATION, agencyCode: DESK, channel: 'DESK', status: 'RECEIVED' },
    });
    // Events carry no personal data.
    expect(JSON.stringify(first.value)).not.toContain(applicantId);

    const rows = await store.orm.em
      .fork()
      .execute<{ subject: string; published: boolean }[]>(
        'select subject, published_at is not null as published from outbox_event order by id',
      );
    expect(rows).toEqual([
      { subject: committed.code, published: true },
      { subject: marker.code, published: true },
    ]);
  });

  it('publishes a dossier’s events in the order they happened, with their outbox sequence', async () => {
    const applicantId = generateCitizen(TEST_SIMULATOR_SEED, 8).personalId;
    const dossier = await receiveComplete(services, { procedureCode: BIRTH_REGISTRATION, applicantId, channel: 'DESK', agencyCode: DESK });
    const options = { actor: 'test', as: agencySystem(DESK, 'test') };
    await services.dossiers.forward(dossier.code, DESK, options);
    await services.dossiers.requestSupplement(dossier.code, [{ requirementCode: 'C01', reason: 'Không rõ nét' }], options);
    await services.dossiers.submitSupplement(
      dossier.code,
      [{ requirementCode: 'C01', file: { name: 'c01.pdf', sha256: 'b'.repeat(64) } }],
      options,
    );
    await services.dossiers.recordResult(dossier.code, { summary: 'Đã cấp giấy khai sinh' }, options);
    await services.dossiers.returnResult(dossier.code, { channel: 'DESK' }, options);
    await collector.waitFor((messages) => messages.some((m) => m.key === dossier.code && m.topic.endsWith('dossier.returned')));
    const mine = collector.messages.filter((m) => m.key === dossier.code);
    const bySequence = [...mine].sort((a, b) => Number(a.value.sequence) - Number(b.value.sequence));
    expect(bySequence.map((m) => m.topic.slice(prefix.length))).toEqual([
      'dossier.received',
      'dossier.forwarded',
      'dossier.supplement-requested',
      'dossier.result-recorded',
      'dossier.returned',
    ]);
  });
});
