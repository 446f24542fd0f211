import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../../domain/clock';
import { CONSENT_ATTRIBUTES } from '../../../domain/consent/consent';
import { serviceSettingsFor } from '../../../gateway/hub';
import { loadConfig } from '../../../platform/config';
import { shippedPrefillFields } from '../../../platform/prefill-fields';
import { parseConsentPurposesArgs, runConsentPurposesCommand } from '../../../scripts/consent-purposes-command';
import { loadReferenceProcedures } from '../../../scripts/demo-data';
import type { Store } from '../../../store/database';
import { MIGRATIONS } from '../../../store/migrations';
import { migrate } from '../../../store/orm';
import { createServices, type StoreServices } from '../../../store/services';
import { ConsentService } from '../../../store/services/consent.service';
import type { UnitOfWork } from '../../../store/unit-of-work';
import { dropSchema, freshSchemaName, openTestStore } from '../../support/database';

const PORTAL = 'test-portal';
const OTHER_PORTAL = 'test-other-portal';
const AGENCY_SYSTEM = 'test-agency-system';
const BIRTH = '1.001193';
const LAND = '1.013978';
const T0 = new Date('2026-12-04T02:00:00Z');

/** The hub's error as the CLI prints it (hub.ts: `hub: <message>`, exit 1), with its reason. */
interface Refusal {
  reason: string | undefined;
  message: string;
}

describe('hub consent-purposes against PostgreSQL', () => {
  const schema = freshSchemaName('consent_purposes_cli');
  const clock = new FixedClock(T0);
  let store: Store;
  let services: StoreServices;
  let uow: UnitOfWork;

  /** Runs the command as `hub consent-purposes …` does, after the hub opened the store. */
  async function hub(...argv: string[]): Promise<string[]> {
    const lines: string[] = [];
    await runConsentPurposesCommand(parseConsentPurposesArgs(argv), { purposes: services.consentPurposes, print: (l) => lines.push(l) });
    return lines;
  }
  async function refused(...argv: string[]): Promise<Refusal> {
    try {
      await hub(...argv);
    } catch (error) {
      return { reason: (error as { reason?: string }).reason, message: (error as Error).message };
    }
    throw new Error(`expected hub consent-purposes ${argv.join(' ')} to fail`);
  }
  const listJson = async (...argv: string[]) =>
    JSON.parse((await hub('list', ...argv, '--json')).join('\n')) as {
      clientId: string;
      purpose: string;
      procedureCode: string | null;
      attributes: string[];
      descriptionVi: string | null;
      descriptionEn: string | null;
      createdAt: string;
      updatedAt: string;
    }[];

  beforeAll(async () => {
    store = await openTestStore(schema);
    ({ services, uow } = createServices(store.orm, clock, serviceSettingsFor(loadConfig({}))));
    await services.catalogue.importProcedures(loadReferenceProcedures());
    for (const clientId of [PORTAL, OTHER_PORTAL]) {
      await services.clients.ensure({ clientId, name: clientId, kind: 'PORTAL', secret: 'not-used' });
    }
    await services.clients.ensure({ clientId: AGENCY_SYSTEM, name: 'An agency system', kind: 'MONITOR', secret: 'not-used' });
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('registers a purpose with its attributes and descriptions, and lists it', async () => {
    const out = await hub(
      'register',
      PORTAL,
      'eligibility-check',
      '--attributes',
      'population.fullName,population.dateOfBirth',
      '--description-vi',
      'Kiểm tra điều kiện hưởng chính sách',
      '--description-en',
      'Check eligibility for a benefit',
    );
    expect(out).toEqual([
      'Đã đăng ký / Registered: test-portal eligibility-check (2 thuộc tính / attributes: population.fullName, population.dateOfBirth)',
    ]);
    expect(await listJson(PORTAL)).toEqual([
      {
        clientId: PORTAL,
        purpose: 'eligibility-check',
        procedureCode: null,
        attributes: ['population.fullName', 'population.dateOfBirth'],
        descriptionVi: 'Kiểm tra điều kiện hưởng chính sách',
        descriptionEn: 'Check eligibility for a benefit',
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
      },
    ]);
    const text = await hub('list', PORTAL);
    expect(text).toEqual([
      expect.stringMatching(/^test-portal +eligibility-check +population\.fullName,population\.dateOfBirth$/),
      '    vi: Kiểm tra điều kiện hưởng chính sách',
      '    en: Check eligibility for a benefit',
    ]);
  });

  it('registering the same again changes nothing; a change is an update, its creation time kept', async () => {
    const args = ['register', PORTAL, 'eligibility-check', '--attributes', 'population.fullName,population.dateOfBirth'];
    clock.set('2026-12-04T03:00:00Z');
    expect(
      await hub(...args, '--description-vi', 'Kiểm tra điều kiện hưởng chính sách', '--description-en', 'Check eligibility for a benefit'),
    ).toEqual([expect.stringMatching(/^Không đổi \/ Unchanged: /)]);
    expect((await listJson(PORTAL))[0]!.updatedAt).toBe(T0.toISOString());
    expect(await hub(...args, '--description-vi', 'Kiểm tra điều kiện', '--description-en', 'Eligibility check')).toEqual([
      expect.stringMatching(/^Đã cập nhật \/ Updated: /),
    ]);
    const [changed] = await listJson(PORTAL);
    expect(changed).toMatchObject({
      descriptionVi: 'Kiểm tra điều kiện',
      createdAt: T0.toISOString(),
      updatedAt: '2026-12-04T03:00:00.000Z',
    });
    clock.set(T0);
  });

  it('registers the default prefill purposes of every prefill procedure, each covering exactly its fields’ attributes', async () => {
    const lists = shippedPrefillFields();
    const out = await hub('register-prefill', OTHER_PORTAL);
    expect(out).toHaveLength(lists.size);
    const listed = await listJson(OTHER_PORTAL);
    expect(listed.map((p) => p.purpose)).toEqual([...lists.keys()].sort().map((code) => `prefill:${code}`));
    for (const purpose of listed) {
      const read = new Set(lists.get(purpose.procedureCode!)!.map((f) => f.attribute));
      expect(new Set(purpose.attributes)).toEqual(read);
      expect(purpose.descriptionVi).toMatch(/^Điền sẵn tờ khai thủ tục /);
    }
    expect(listed.find((p) => p.purpose === `prefill:${BIRTH}`)).toMatchObject({
      descriptionVi: 'Điền sẵn tờ khai thủ tục đăng ký khai sinh',
      descriptionEn: 'Prefill the declaration of procedure 1.001193 (Đăng ký khai sinh)',
    });
    // Again: nothing changes.
    expect(new Set((await hub('register-prefill', OTHER_PORTAL)).map((l) => l.split(':')[0]))).toEqual(new Set(['Không đổi / Unchanged']));
  });

  it('registers the default purpose of the procedures named only', async () => {
    const out = await hub('register-prefill', PORTAL, '--procedure', LAND, '--json');
    expect(JSON.parse(out.join('\n'))).toEqual([
      expect.objectContaining({
        purpose: `prefill:${LAND}`,
        outcome: 'CREATED',
        attributes: ['population.fullName', 'population.permanentResidence', 'land.parcels'],
      }),
    ]);
  });

  it('a purpose registered here is one grantConsent accepts, and only within its attributes', async () => {
    // The consent service reads the same table; its ports stubbed (no token or processing log here).
    const consents = new ConsentService(
      uow,
      clock,
      { sign: async () => 'token', verify: async () => undefined },
      { append: async () => undefined, subjectRef: (id) => `ref-${id}`, subjectRefs: (id) => [`ref-${id}`] },
      { seal: (id) => id, open: (sealed) => sealed },
    );
    const grant = (attributes: string[]) =>
      consents.grant({
        personalId: '046203000001',
        clientId: PORTAL,
        attributes,
        purpose: 'eligibility-check',
        procedureCode: BIRTH,
        notAfter: new Date(T0.getTime() + 86_400_000),
        dataLifeSeconds: 60,
        requestId: null,
      });
    await expect(grant(['population.fullName'])).resolves.toMatchObject({ token: 'token' });
    await expect(grant(['population.sex'])).rejects.toMatchObject({ reason: 'CONSENT.ATTRIBUTE_NOT_REGISTERED' });
    expect((await consents.purposesOf(PORTAL)).find((p) => p.purpose === 'eligibility-check')).toMatchObject({
      descriptionVi: 'Kiểm tra điều kiện',
      descriptionEn: 'Eligibility check',
    });
  });

  it('refuses an unknown client', async () => {
    for (const argv of [
      [
        'register',
        'no-such-client',
        'eligibility-check',
        '--attributes',
        'population.fullName',
        '--description-vi',
        'x',
        '--description-en',
        'y',
      ],
      ['register-prefill', 'no-such-client'],
      ['list', 'no-such-client'],
      ['remove', 'no-such-client', 'eligibility-check'],
    ]) {
      expect(await refused(...argv)).toMatchObject({
        reason: 'CONSENT_PURPOSE.UNKNOWN_CLIENT',
        message: expect.stringContaining('no-such-client'),
      });
    }
  });

  it('refuses a client that is not a portal: it never asks for consent', async () => {
    expect(await refused('register-prefill', AGENCY_SYSTEM)).toMatchObject({ reason: 'CONSENT_PURPOSE.NOT_A_PORTAL' });
  });

  it('refuses an unknown attribute, listing the valid ones', async () => {
    const refusal = await refused(
      'register',
      PORTAL,
      'eligibility-check',
      '--attributes',
      'population.fullName,population.religion',
      '--description-vi',
      'x',
      '--description-en',
      'y',
    );
    expect(refusal.reason).toBe('CONSENT_PURPOSE.UNKNOWN_ATTRIBUTE');
    expect(refusal.message).toContain(CONSENT_ATTRIBUTES.join(', '));
  });

  it('refuses a prefill purpose of a procedure without a field list, and attributes beyond its fields', async () => {
    const describe = ['--description-vi', 'x', '--description-en', 'y'];
    expect(await refused('register', PORTAL, 'prefill:2.001583', '--attributes', 'population.fullName', ...describe)).toMatchObject({
      reason: 'CONSENT_PURPOSE.NO_PREFILL_FIELDS',
    });
    expect(await refused('register-prefill', PORTAL, '--procedure', '2.001583')).toMatchObject({
      reason: 'CONSENT_PURPOSE.NO_PREFILL_FIELDS',
    });
    expect(
      await refused('register', PORTAL, `prefill:${BIRTH}`, '--attributes', 'population.fullName,land.parcels', ...describe),
    ).toMatchObject({
      reason: 'CONSENT_PURPOSE.BEYOND_PREFILL_FIELDS',
      message: expect.stringContaining('land.parcels'),
    });
    // Nothing was written by a refusal.
    expect((await listJson(PORTAL)).map((p) => p.purpose)).toEqual(['eligibility-check', `prefill:${LAND}`]);
  });

  it('removes a purpose, leaves the consents given for it as they are, and says how many are in force', async () => {
    const insert = (status: 'GRANTED' | 'REVOKED', notAfter: string, purpose = `prefill:${LAND}`) =>
      store.orm.em.fork().execute(
        `insert into consent (id, subject_pseudonym, subject_sealed, client_id, attributes, purpose, procedure_code, issued_at, not_after, data_life_seconds, status, revoked_at)
         values (?, 'p', 's', ?, '{population.fullName}', ?, ?, ?, ?, 60, ?, ?)`,
        [
          randomUUID(),
          PORTAL,
          purpose,
          LAND,
          '2026-12-01T00:00:00Z',
          notAfter,
          status,
          status === 'REVOKED' ? '2026-12-02T00:00:00Z' : null,
        ],
      );
    await insert('GRANTED', '2027-01-01T00:00:00Z');
    await insert('GRANTED', '2027-02-01T00:00:00Z');
    await insert('GRANTED', '2026-12-03T00:00:00Z'); // expired
    await insert('REVOKED', '2027-01-01T00:00:00Z');
    await insert('GRANTED', '2027-01-01T00:00:00Z', 'eligibility-check');
    const out = await hub('remove', PORTAL, `prefill:${LAND}`);
    expect(out[0]).toBe(
      'Đã gỡ / Removed: test-portal prefill:1.013978. Không thể xin sự đồng ý mới cho mục đích này / No new consent can be asked for it.',
    );
    expect(out[1]).toMatch(/^2 sự đồng ý còn hiệu lực .* \/ 2 consent\(s\) in force keep working/);
    expect((await listJson(PORTAL)).map((p) => p.purpose)).toEqual(['eligibility-check']);
    // The consents themselves are untouched.
    const [{ n }] = await store.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from consent where purpose = ?`, [`prefill:${LAND}`]);
    expect(Number(n)).toBe(4);
  });

  it('removing a purpose the client does not have is refused, and another client’s purpose is not touched', async () => {
    expect(await refused('remove', PORTAL, `prefill:${BIRTH}`)).toMatchObject({ reason: 'CONSENT_PURPOSE.NOT_FOUND' });
    expect((await listJson(OTHER_PORTAL)).map((p) => p.purpose)).toContain(`prefill:${BIRTH}`);
  });

  it('lists every client’s purposes without a client', async () => {
    const all = await listJson();
    expect(new Set(all.map((p) => p.clientId))).toEqual(new Set([PORTAL, OTHER_PORTAL]));
  });

  it('the table keeps a purpose described in both languages or in neither', async () => {
    await expect(
      store.orm.em
        .fork()
        .execute(
          `insert into consent_purpose (client_id, purpose, attributes, description_vi) values (?, 'half', '{population.fullName}', 'x')`,
          [PORTAL],
        ),
    ).rejects.toThrow(/consent_purpose_described_in_both/);
  });
});

describe('the descriptions migration on a real PostgreSQL server', () => {
  const schema = freshSchemaName('consent_purposes_migration');
  let store: Store;

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('keeps the purposes registered before it, undescribed until registered again', async () => {
    store = await openTestStore(schema);
    // Down to it, itself included.
    await store.orm.getMigrator().down({ to: 'Migration20261204ConsentPurposeDescriptions' });
    const em = store.orm.em.fork();
    await em.execute(
      `insert into api_client (client_id, name, kind, scopes, grant_types) values ('old-portal', 'Old', 'PORTAL', '{}', '{}')`,
    );
    await em.execute(
      `insert into consent_purpose (client_id, purpose, attributes) values ('old-portal', 'prefill:1.001193', '{population.fullName}')`,
    );
    const since = MIGRATIONS.findIndex((m) => m.name === 'Migration20261204ConsentPurposeDescriptions');
    expect(await migrate(store.orm)).toEqual(MIGRATIONS.slice(since).map((m) => m.name));
    const { services } = createServices(store.orm, new FixedClock(T0), serviceSettingsFor(loadConfig({})));
    const lines: string[] = [];
    await runConsentPurposesCommand(parseConsentPurposesArgs(['list', 'old-portal']), {
      purposes: services.consentPurposes,
      print: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      expect.stringMatching(/^old-portal +prefill:1\.001193 +population\.fullName$/),
      '    vi: (chưa có mô tả)',
      '    en: (no description)',
    ]);
  });
});
