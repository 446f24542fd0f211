import { DEMO_AGENCIES } from '../../scripts/demo-data';
import { BIRTH_REGISTRATION } from '../support/hub-fixtures';
import { seedTestDemo, startTestHub, type TestHub } from '../support/test-hub';

interface Figures {
  agencyCode: string | null;
  received: number;
  reusedPapers: number;
  totalPapers: number;
  reuseShare: number | null;
  missedReuse: number;
  onceOnlyDossiers: number;
  onceOnlyShare: number | null;
}

const FIELDS = 'agencyCode received reusedPapers totalPapers reuseShare missedReuse onceOnlyDossiers onceOnlyShare';

/**
 * The once-only figures over a crafted set of dossiers (January 2025, before any demo dossier),
 * inserted as reception records them, and computed by hand below.
 */
describe('statistics: the once-only figures (reuseShare, missedReuse, onceOnlyShare)', () => {
  let hub: TestHub;
  const [first, second] = DEMO_AGENCIES.filter((agency) => agency.roles?.includes('reception')).map((agency) => agency.code);

  /** [agency, received at (Vietnam time), papers, of which satisfied from the state, papers handed in anew the state held] */
  const DOSSIERS: [string, string, number, number, number][] = [
    [first!, '2025-01-02T08:00:00+07:00', 4, 3, 0],
    [first!, '2025-01-10T09:30:00+07:00', 3, 1, 2],
    [first!, '2025-01-15T14:00:00+07:00', 2, 0, 0],
    [first!, '2025-01-31T23:59:00+07:00', 5, 2, 1],
    [second!, '2025-01-01T00:00:00+07:00', 2, 2, 0],
    [second!, '2025-01-20T10:00:00+07:00', 3, 0, 0],
    // The day after the period: not counted.
    [first!, '2025-02-01T00:00:00+07:00', 3, 3, 3],
    // The evening before it (16:59 UTC on 31 December): not counted.
    [second!, '2024-12-31T23:59:00+07:00', 1, 0, 1],
  ];

  beforeAll(async () => {
    hub = await startTestHub('once-only-statistics');
    await seedTestDemo(hub.services);
    const em = hub.store.orm.em.fork();
    for (const [index, [agency, receivedAt, papers, reused, missed]] of DOSSIERS.entries()) {
      await em.execute(
        `insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at,
           total_components, reused_components, missed_reuse)
         values (?, ?, ?, ?, 'CITIZEN', 'DESK', 'RECEIVED', ?, ?, ?, ?)`,
        [`ONCE-ONLY-${index}`, BIRTH_REGISTRATION, agency, `04620300${String(index).padStart(4, '0')}`, receivedAt, papers, reused, missed],
      );
    }
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const statistics = async (agencyCode?: string) => {
    const result = await hub.graphql<{ statistics: { total: Figures; byAgency: Figures[] } }>(
      `query ($agencyCode: String) { statistics(from: "2025-01-01", to: "2025-01-31", agencyCode: $agencyCode) {
         total { ${FIELDS} } byAgency { ${FIELDS} } } }`,
      agencyCode ? { agencyCode } : {},
      { as: 'demo-monitor' },
    );
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.statistics;
  };

  it('gives the exact reuse share, missed reuse and once-only share per agency and in total, as computed by hand', async () => {
    // First desk: papers 4 + 3 + 2 + 5 = 14, from the state 3 + 1 + 0 + 2 = 6 (6/14 = 0.4286),
    // missed 0 + 2 + 0 + 1 = 3, dossiers without missed reuse 2 of 4 (0.5).
    const firstDesk: Figures = {
      agencyCode: first!,
      received: 4,
      reusedPapers: 6,
      totalPapers: 14,
      reuseShare: 0.4286,
      missedReuse: 3,
      onceOnlyDossiers: 2,
      onceOnlyShare: 0.5,
    };
    // Second desk: papers 2 + 3 = 5, from the state 2 (0.4), nothing missed, 2 of 2 once-only (1).
    const secondDesk: Figures = {
      agencyCode: second!,
      received: 2,
      reusedPapers: 2,
      totalPapers: 5,
      reuseShare: 0.4,
      missedReuse: 0,
      onceOnlyDossiers: 2,
      onceOnlyShare: 1,
    };
    // In total: 8 of 19 papers (0.4211), 3 missed, 4 of 6 dossiers once-only (0.6667).
    const total: Figures = {
      agencyCode: null,
      received: 6,
      reusedPapers: 8,
      totalPapers: 19,
      reuseShare: 0.4211,
      missedReuse: 3,
      onceOnlyDossiers: 4,
      onceOnlyShare: 0.6667,
    };
    const all = await statistics();
    expect(all.total).toEqual(total);
    expect([...all.byAgency].sort((a, b) => a.agencyCode!.localeCompare(b.agencyCode!))).toEqual(
      [firstDesk, secondDesk].sort((a, b) => a.agencyCode!.localeCompare(b.agencyCode!)),
    );
    // Scoped to one agency, its figures are the total.
    expect((await statistics(first)).total).toEqual({ ...firstDesk });
  });

  it('has no shares for a period without dossiers', async () => {
    const result = await hub.graphql<{ statistics: { total: Figures } }>(
      `{ statistics(from: "2024-06-01", to: "2024-06-30") { total { ${FIELDS} } } }`,
      {},
      { as: 'demo-monitor' },
    );
    expect(result.body.data!.statistics.total).toEqual({
      agencyCode: null,
      received: 0,
      reusedPapers: 0,
      totalPapers: 0,
      reuseShare: null,
      missedReuse: 0,
      onceOnlyDossiers: 0,
      onceOnlyShare: null,
    });
  });
});
