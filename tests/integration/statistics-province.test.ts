import { DEMO_AGENCIES } from '../../scripts/demo-data';
import { fromVietnamLocal } from '../../domain/time/vietnam-time';
import { BIRTH_REGISTRATION } from '../support/hub-fixtures';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

interface Figures {
  agencyCode: string | null;
  received: number;
  resolved: number;
  pending: number;
}

interface Result {
  statistics: { province: string | null; total: Figures; byAgency: Figures[] };
}

/**
 * `statistics(province:)` over two provinces' agencies (Huế 46, the demo catalogue, and Quảng Trị
 * 44, added here): a province keeps its agencies, placed through their parents, from the kept
 * daily figures; agencies see only their own.
 */
describe('statistics: one province', () => {
  let hub: TestHub;
  const HUE_DESKS = ['000.19.31.H46', '000.20.31.H46'];
  const HUE_PROVINCE_DESK = '000.00.00.H46';
  const QUANG_TRI = '000.00.00.H44';
  const QUANG_TRI_WARD = '000.19.31.H44';
  const FIELDS = 'agencyCode received resolved pending';

  /** [agency, received at (Vietnam time), resolved] */
  const DOSSIERS: [string, string, boolean][] = [
    [HUE_DESKS[0]!, '2024-03-02T08:00:00+07:00', true],
    [HUE_DESKS[0]!, '2024-05-10T09:30:00+07:00', false],
    [HUE_DESKS[1]!, '2024-07-15T14:00:00+07:00', true],
    [HUE_PROVINCE_DESK, '2024-01-01T00:00:00+07:00', false],
    [QUANG_TRI_WARD, '2024-02-01T10:00:00+07:00', true],
    [QUANG_TRI_WARD, '2024-12-31T23:59:00+07:00', false],
    [QUANG_TRI, '2024-06-06T06:00:00+07:00', false],
    // The next year: outside the period.
    [QUANG_TRI_WARD, '2025-01-01T00:00:00+07:00', false],
  ];

  beforeAll(async () => {
    hub = await startTestHub('statistics-province');
    await seedTestDemo(hub.services);
    const ward = DEMO_AGENCIES.find((agency) => agency.code === '000.19.31.H46')!;
    await hub.services.catalogue.importAgencies([
      {
        code: QUANG_TRI,
        name: 'Ủy ban nhân dân tỉnh Quảng Trị',
        level: 'province',
        parentCode: null,
        adminUnitCode: '44',
        roles: ['reception'],
      },
      // A ward of Quảng Trị: its own code (18859) does not carry the province's digits; its parent places it.
      { ...ward, code: QUANG_TRI_WARD, name: 'Ủy ban nhân dân Phường Đồng Thuận', parentCode: QUANG_TRI, adminUnitCode: '18859' },
    ]);
    const em = hub.store.orm.em.fork();
    for (const [index, [agency, receivedAt, resolved]] of DOSSIERS.entries()) {
      await em.execute(
        `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at,
           due_at, resolved_at, completion)
         values (?, ?, ?, ?, 'CITIZEN', 'DESK', ?, ?, ?::timestamptz + interval '5 days', ?::timestamptz + interval '1 day', ?)`,
        [
          `PROVINCE-${index}`,
          BIRTH_REGISTRATION,
          agency,
          `04620311${String(index).padStart(4, '0')}`,
          resolved ? 'RESOLVED' : 'RECEIVED',
          receivedAt,
          receivedAt,
          resolved ? receivedAt : null,
          resolved ? 'EARLY' : null,
        ],
      );
    }
    // A hub, the demo catalogue and its dossiers: longer than a test on a busy machine.
  }, 180_000);

  afterAll(async () => {
    await hub?.dispose();
  });

  const statistics = (variables: { province?: string; agencyCode?: string }, as: string) =>
    hub.graphql<Result>(
      `query ($province: String, $agencyCode: String) {
         statistics(from: "2024-01-01", to: "2024-12-31", province: $province, agencyCode: $agencyCode) {
           province total { ${FIELDS} } byAgency { ${FIELDS} } } }`,
      variables,
      { as },
    );

  const figures = (agencyCode: string | null, received: number, resolved: number): Figures => ({
    agencyCode,
    received,
    resolved,
    pending: received - resolved,
  });

  it('gives the monitoring centre one province: its agencies, the communes under them included, and nothing of the other', async () => {
    const hue = await statistics({ province: '46' }, 'demo-monitor');
    expect(hue.body.errors).toBeUndefined();
    expect(hue.body.data!.statistics).toEqual({
      province: '46',
      total: figures(null, 4, 2),
      byAgency: [figures(HUE_PROVINCE_DESK, 1, 0), figures(HUE_DESKS[0]!, 2, 1), figures(HUE_DESKS[1]!, 1, 1)],
    });
    const quangTri = await statistics({ province: '44' }, 'demo-monitor');
    expect(quangTri.body.data!.statistics).toEqual({
      province: '44',
      total: figures(null, 3, 1),
      byAgency: [figures(QUANG_TRI, 1, 0), figures(QUANG_TRI_WARD, 2, 1)],
    });
    // The two provinces make the whole year; a province with no agency here has nothing.
    const all = await statistics({}, 'demo-monitor');
    expect(all.body.data!.statistics.total.received).toBe(7);
    expect(all.body.data!.statistics.province).toBeNull();
    const hanoi = await statistics({ province: '01' }, 'demo-monitor');
    expect(hanoi.body.data!.statistics).toEqual({ province: '01', total: figures(null, 0, 0), byAgency: [] });
  });

  it('narrows a province to one of its agencies, and to nothing for an agency elsewhere', async () => {
    const ward = await statistics({ province: '44', agencyCode: QUANG_TRI_WARD }, 'demo-monitor');
    expect(ward.body.data!.statistics.total).toEqual(figures(QUANG_TRI_WARD, 2, 1));
    const elsewhere = await statistics({ province: '46', agencyCode: QUANG_TRI_WARD }, 'demo-monitor');
    expect(elsewhere.body.data!.statistics).toEqual({ province: '46', total: figures(QUANG_TRI_WARD, 0, 0), byAgency: [] });
  });

  it('reads the kept daily figures, equal to a recount of the dossiers, whole days or not', async () => {
    const from = fromVietnamLocal(2024, 1, 1);
    const to = fromVietnamLocal(2025, 1, 1);
    for (const province of ['46', '44']) {
      const kept = await hub.services.statistics.dossierCounts(from, to, undefined, { province });
      expect(kept).toEqual(await hub.services.statistics.dossierCounts(from, to, undefined, { province, recount: true }));
    }
    // Part of a day (not the daily figures' grain): the recount, kept to the province too.
    const morning = await hub.services.statistics.dossierCounts(
      new Date('2024-06-05T23:00:00Z'),
      new Date('2024-06-06T00:00:00Z'),
      undefined,
      {
        province: '44',
      },
    );
    expect(morning.total.received).toBe(1);
    const elsewhere = await hub.services.statistics.dossierCounts(
      new Date('2024-06-05T23:00:00Z'),
      new Date('2024-06-06T00:00:00Z'),
      undefined,
      {
        province: '46',
      },
    );
    expect(elsewhere.total.received).toBe(0);
  });

  it('shows an agency its own figures only: a province narrows them, another agency is refused', async () => {
    // demo-district acts for the Phú Xuân ward of Huế.
    const own = await statistics({ province: '46' }, 'demo-district');
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.statistics.total).toEqual(figures(HUE_DESKS[0]!, 2, 1));
    expect(own.body.data!.statistics.byAgency).toEqual([figures(HUE_DESKS[0]!, 2, 1)]);
    const otherProvince = await statistics({ province: '44' }, 'demo-district');
    expect(otherProvince.body.data!.statistics.total).toEqual(figures(HUE_DESKS[0]!, 0, 0));
    const otherAgency = await statistics({ province: '44', agencyCode: QUANG_TRI_WARD }, 'demo-district');
    expect(otherAgency.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'STATISTICS.OTHER_AGENCY' });
    // The public sees no statistics, whatever the province.
    const anonymous = await hub.graphql<Result>(`{ statistics(from: "2024-01-01", to: "2024-12-31", province: "46") { province } }`);
    expect(anonymous.body.data?.statistics ?? null).toBeNull();
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a code that is not one of the 34 provinces since 1 July 2025', async () => {
    // 49 and 02 were Quảng Nam's and Hà Giang's codes before the merger (now parts of Đà Nẵng, 48,
    // and Tuyên Quang, 08); 99 was never one; 4 and 460 are malformed.
    for (const province of ['49', '02', '99', '4', '460']) {
      const result = await statistics({ province }, 'demo-monitor');
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'STATISTICS.UNKNOWN_PROVINCE' });
    }
  });
});
