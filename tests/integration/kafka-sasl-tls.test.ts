import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority, authoritySettingsFor } from '../../certs/pki/certificate-authority';
import type { HubEvent } from '../../domain/events/event-bus.port';
import { loadConfig } from '../../platform/config';
import { kafkaConnectionSecurity, KafkaEventBus } from '../../workers/event-bus/kafka-event-bus';
import { quietLogger } from '../support/database';
import { testEnv } from '../support/environment';
import { freePort } from '../support/ports';

/**
 * The hub's Kafka TLS and SASL settings against a real broker: a second single-node broker of its
 * own (the jars scripts/kafka-broker.sh fetched, a temporary data dir, other ports; the shared test
 * broker is not touched) whose client listener is SASL_SSL with PLAIN and SCRAM, its server certificate from
 * the hub's CA.
 */
const LIBS = path.join(
  process.env.KAFKA_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'onestop-hub/kafka'),
  'libs',
);
const PASSWORD = 'kafka-password-of-this-test';

async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Kafka over TLS with SASL (a broker of its own)', () => {
  let work: string;
  let broker: ChildProcess | undefined;
  let brokerLog = '';
  let bootstrap: string;
  let caFile: string;
  const buses: KafkaEventBus[] = [];
  const topicPrefix = `sasl-${randomUUID().slice(0, 8)}.`;

  const busWith = (env: Record<string, string>) => {
    const config = loadConfig({ KAFKA_BROKERS: bootstrap, ...env });
    const bus = new KafkaEventBus({
      brokers: config.KAFKA_BROKERS!,
      clientId: 'hub-sasl-test',
      // One prefix for the file: the event topics are created once, by the first bus that starts.
      topicPrefix,
      consumerGroup: `sasl-${randomUUID().slice(0, 8)}`,
      security: kafkaConnectionSecurity(config),
      logger: quietLogger,
    });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    if (!existsSync(LIBS)) throw new Error(`no Kafka jars in ${LIBS}: run scripts/kafka-broker.sh start once`);
    work = mkdtempSync(path.join(tmpdir(), 'hub-kafka-sasl-'));
    // The shared test CA (default passphrase): a server certificate for the broker, the root for the hub.
    cpSync(testEnv('pkiTemplate'), path.join(work, 'pki'), { recursive: true });
    const authority = CertificateAuthority.open(authoritySettingsFor(loadConfig({ DATA_DIR: work })));
    const server = authority.ownCertificate('tls-server', ['kafka-sasl-test', '127.0.0.1', 'localhost']);
    const keystore = path.join(work, 'broker-keystore.pem');
    writeFileSync(keystore, `${server.keyPem}${server.certificatePem}`, { mode: 0o600 });
    caFile = path.join(work, 'root.pem');
    writeFileSync(caFile, authority.rootPem());

    const [clientPort, internalPort, controllerPort] = [await freePort(), await freePort(), await freePort()];
    bootstrap = `127.0.0.1:${clientPort}`;
    const logs = path.join(work, 'logs');
    mkdirSync(logs);
    const properties = path.join(work, 'server.properties');
    writeFileSync(
      properties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=SASL_SSL://127.0.0.1:${clientPort},INTERNAL://127.0.0.1:${internalPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=SASL_SSL://127.0.0.1:${clientPort},INTERNAL://127.0.0.1:${internalPort}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=INTERNAL',
        'listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_hub="${PASSWORD}";`,
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${keystore}`,
        `log.dirs=${logs}`,
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        '',
      ].join('\n'),
    );
    const java = [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      `-Dlog4j.configuration=file:${path.join(__dirname, '../../scripts/kafka/log4j.properties')}`,
      '-cp',
      `${LIBS}/*`,
    ];
    // Always starting with "-" (still 16 bytes in base64url): the id the storage tool once read as an option.
    const clusterId = `-${randomBytes(16).toString('base64url').slice(1)}`;
    const format = spawnSync(
      'java',
      [
        ...java,
        'kafka.tools.StorageTool',
        'format',
        // One argument with "=": a base64url id may start with "-", which would read as an option.
        `--cluster-id=${clusterId}`,
        '-c',
        properties,
        // SCRAM credentials live in the cluster metadata, written with the storage.
        '--add-scram',
        `SCRAM-SHA-256=[name=hub,password=${PASSWORD}]`,
        '--add-scram',
        `SCRAM-SHA-512=[name=hub,password=${PASSWORD}]`,
      ],
      {
        encoding: 'utf8',
      },
    );
    if (format.status !== 0) throw new Error(`formatting the broker's storage failed: ${format.stdout}${format.stderr}`);
    broker = spawn('java', [...java, 'kafka.Kafka', properties], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    broker.stdout?.on('data', (chunk: Buffer) => (brokerLog += chunk.toString()));
    broker.stderr?.on('data', (chunk: Buffer) => (brokerLog += chunk.toString()));
    await eventually(
      () => {
        if (broker?.exitCode !== null) throw new Error(`the broker exited:\n${brokerLog.slice(-3000)}`);
        return brokerLog.includes('Kafka Server started');
      },
      150_000,
      'the SASL_SSL broker',
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(buses.map((bus) => bus.close()));
    if (broker && broker.exitCode === null) {
      const exited = new Promise((resolve) => broker!.once('exit', resolve));
      broker.kill('SIGKILL');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('publishes and consumes through TLS (the hub’s CA trusted by file) and SASL/PLAIN', async () => {
    const bus = busWith({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'hub',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    await bus.start();
    const seen: string[] = [];
    await bus.subscribe('sasl-check', async (event) => void seen.push(event.id));
    const event: HubEvent = {
      id: randomUUID(),
      type: 'dossier.forwarded',
      subject: 'SASL-260101-0001',
      time: new Date(),
      data: { step: 1 },
      sequence: '1',
    };
    await bus.publish([event]);
    await eventually(() => seen.includes(event.id), 60_000, 'the event back from the broker');
    expect(seen).toEqual([event.id]);
  }, 120_000);

  it.each(['scram-sha-256', 'scram-sha-512'])(
    'connects with SASL %s over TLS',
    async (mechanism) => {
      const bus = busWith({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: caFile,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'hub',
        KAFKA_SASL_PASSWORD: PASSWORD,
      });
      await bus.start();
      await expect(bus.checkHealth()).resolves.toBeUndefined();
    },
    60_000,
  );

  it('stops with KAFKA_SASL_USERNAME named when the brokers refuse the credentials', async () => {
    const bus = busWith({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'hub',
      KAFKA_SASL_PASSWORD: 'not-the-password',
    });
    await expect(bus.start()).rejects.toThrow(/^KAFKA_SASL_USERNAME: the brokers refused the credentials: /);
  }, 60_000);

  it('does not trust the broker without its CA, and cannot talk to it without TLS', async () => {
    const sasl = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'hub', KAFKA_SASL_PASSWORD: PASSWORD };
    await expect(busWith({ KAFKA_SSL: 'true', ...sasl }).start()).rejects.toThrow(/^KAFKA_BROKERS: cannot reach 127\.0\.0\.1:\d+: /);
    await expect(busWith(sasl).start()).rejects.toThrow(/^KAFKA_BROKERS: cannot reach 127\.0\.0\.1:\d+: /);
  }, 60_000);
});
