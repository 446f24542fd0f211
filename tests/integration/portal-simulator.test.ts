import { readFileSync } from 'node:fs';
import { resetSimulatorStats, setSimulatorFaults, simulatorStats } from '../support/simulator-admin';
import { join } from 'node:path';
import {
  ConfigurationError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UpstreamUnavailableError,
  type HubError,
} from '../../domain/errors';
import { FixedClock } from '../../domain/clock';
import { formatPortalTimestamp } from '../../domain/time/vietnam-time';
import { PortalClient } from '../../connectors/portal/portal.client';
import { toPortalDossier, toPortalProgress } from '../../connectors/portal/portal-sync.mapper';
import type {
  CatalogueProcedure,
  CitizenAccount,
  PortalDossierRecord,
  PortalSyncedDossier,
  Problem,
  ProcedurePage,
  TokenResponse,
} from '../../connectors/portal/portal.types';
import { citizenAccountAt } from '../../connectors/portal/simulator/citizen-accounts';
import {
  startPortalSimulator,
  type ReceivedRequest,
  type RunningPortalSimulator,
  type SimulatorStats,
} from '../../connectors/portal/simulator/portal-simulator.server';
import { createLogger } from '../../platform/logger';
import type { BaseSimulatorStats } from '../../connectors/simulator-kit/stats';
import { until } from '../support/until';

const SEED = 20250701;
const POPULATION = 2_000;
const CLIENT = { clientId: 'onestop-hub', clientSecret: 'portal-sim-secret' };
const silent = createLogger({ level: 'silent' });

let sequence = 0;
/** A fresh dossier code per test: the simulator keeps dossiers for its lifetime. */
const nextCode = () => `000.00.01.H46-251002-${String(++sequence).padStart(4, '0')}`;

function dossier(code: string, overrides: Partial<PortalDossierRecord> = {}): PortalDossierRecord {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    MaLinhVuc: 'HO_TICH',
    MaDonVi: '000.00.01.H46',
    ChuHoSo: 'Lê Văn Bình',
    LoaiDoiTuong: 1,
    NgayTiepNhan: '20251002091500',
    NgayHenTra: '20251002163000',
    NgayTra: null,
    HinhThuc: 1,
    TrangThaiHoSo: 2,
    TaiLieuNop: [{ MaThanhPhan: 'C01', TenTaiLieu: 'Giấy chứng sinh', SoLuong: 1 }],
    DanhSachLePhi: [{ TenLePhi: 'Lệ phí đăng ký khai sinh', SoTien: 0 }],
    DanhSachHoSoBoSung: [],
    DanhSachGiayToKetQua: [],
    ...overrides,
  };
}

const progress = (overrides: Record<string, unknown> = {}) => ({
  NguoiXuLy: '000.00.01.H46',
  ThoiDiemXuLy: '20251002091500',
  NoiDungXuLy: 'Tiếp nhận hồ sơ',
  TrangThai: 2,
  NgayKetThucTheoQuyDinh: '20251002163000',
  ...overrides,
});

describe('national portal simulator over HTTP', () => {
  let simulator: RunningPortalSimulator;
  let token: string;

  const api = (path: string, init?: RequestInit) => fetch(`${simulator.url}${path}`, init);
  const requestToken = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    api('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const newToken = async (scope?: string): Promise<string> => {
    const response = await requestToken({
      grant_type: 'client_credentials',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      ...(scope ? { scope } : {}),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as TokenResponse).access_token;
  };
  const authed = (path: string, init: RequestInit = {}, bearer = token) =>
    api(path, { ...init, headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) } });
  const sendJson = (method: string, path: string, body: unknown, bearer = token) =>
    authed(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, bearer);
  const putDossier = (record: PortalDossierRecord | Record<string, unknown>, code = String(record.MaHoSo)) =>
    sendJson('PUT', `/v1/dossiers/${code}`, record);
  const getDossier = async (code: string) => (await (await authed(`/v1/dossiers/${code}`)).json()) as PortalSyncedDossier;
  const received = async (code?: string) =>
    (await (await api(`/_sim/received${code ? `?dossier=${encodeURIComponent(code)}` : ''}`)).json()) as {
      requests: ReceivedRequest[];
      dropped: number;
    };
  const setFaults = async (faults: Record<string, unknown>, method = 'PUT') => {
    const response = await api('/_sim/faults', { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    simulator = await startPortalSimulator({ port: 0, seed: SEED, populationSize: POPULATION, logger: silent });
    token = await newToken();
  });

  afterAll(async () => {
    await simulator.close();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('listens on a random port and reports health without a token', async () => {
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
    const response = await api('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', procedures: 41, citizens: POPULATION, seed: SEED });
  });

  it('serves its OpenAPI description', async () => {
    const response = await api('/openapi.yaml');
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    const text = await response.text();
    expect(text).toBe(readFileSync(join(__dirname, '..', '..', 'connectors', 'portal', 'openapi.yaml'), 'utf8'));
    for (const id of ['requestToken', 'listProcedures', 'syncDossier', 'syncProgress', 'getSyncedDossier', 'getCitizenAccount']) {
      expect(text).toContain(`operationId: ${id}`);
    }
  });

  describe('OAuth 2.0 client credentials', () => {
    it('issues an opaque bearer token with every scope, not to be cached', async () => {
      const response = await requestToken({
        grant_type: 'client_credentials',
        client_id: 'onestop-hub',
        client_secret: 'portal-sim-secret',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as TokenResponse;
      expect(body).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'catalogue.read dossiers.read dossiers.write accounts.read',
      });
      expect(body.access_token).not.toBe(token);
    });

    it('accepts HTTP Basic client authentication', async () => {
      const basic = Buffer.from('onestop-hub:portal-sim-secret').toString('base64');
      const response = await requestToken(
        { grant_type: 'client_credentials', scope: 'catalogue.read' },
        { authorization: `Basic ${basic}` },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ scope: 'catalogue.read' });
      const garbled = Buffer.from('onestop-hub:%E0%A4%A').toString('base64');
      const refused = await requestToken({ grant_type: 'client_credentials' }, { authorization: `Basic ${garbled}` });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    });

    it.each([
      ['a wrong secret', { client_id: 'onestop-hub', client_secret: 'wrong' }],
      ['an unknown client', { client_id: 'someone', client_secret: 'portal-sim-secret' }],
      ['no secret', { client_id: 'onestop-hub' }],
    ])('refuses %s with 401 invalid_client', async (_case, credentials) => {
      const response = await requestToken({ grant_type: 'client_credentials', ...credentials });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="dvcqg"');
      expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Unknown client or wrong secret.' });
    });

    it.each([
      ['no grant type', {}, 'invalid_request'],
      ['another grant', { grant_type: 'password' }, 'unsupported_grant_type'],
      ['an unknown scope', { grant_type: 'client_credentials', scope: 'catalogue.read admin' }, 'invalid_scope'],
    ])('answers 400 to %s', async (_case, form, error) => {
      const response = await requestToken({ client_id: 'onestop-hub', client_secret: 'portal-sim-secret', ...form });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error });
    });

    it('wants a form, not JSON', async () => {
      const response = await api('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'onestop-hub', client_secret: 'portal-sim-secret' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('answers 401 with a challenge to calls without a token', async () => {
      for (const path of ['/v1/procedures', '/v1/dossiers/000.00.01.H46-251002-0001', '/v1/citizen-accounts/046203999999']) {
        const response = await api(path);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dvcqg"');
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await response.json()).toMatchObject({ status: 401, code: 'TOKEN_REQUIRED' });
      }
      const put = await api(`/v1/dossiers/${nextCode()}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(put.status).toBe(401);
    });

    it('answers 401 invalid_token to an unknown token and to revoked ones', async () => {
      const unknown = await authed('/v1/procedures', {}, 'not-a-token');
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer realm="dvcqg", error="invalid_token"/);
      expect(await unknown.json()).toMatchObject({ code: 'INVALID_TOKEN' });

      const doomed = await newToken();
      expect((await authed('/v1/procedures', {}, doomed)).status).toBe(200);
      const reset = await api('/_sim/tokens/reset', { method: 'POST' });
      expect(((await reset.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
      expect((await authed('/v1/procedures', {}, doomed)).status).toBe(401);
      token = await newToken();
    });

    it('answers 403 to a token without the scope a call needs', async () => {
      const readOnly = await newToken('catalogue.read');
      expect((await authed('/v1/procedures', {}, readOnly)).status).toBe(200);
      const response = await sendJson('PUT', `/v1/dossiers/${nextCode()}`, {}, readOnly);
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toContain(
        'error="insufficient_scope", error_description="This call needs the scope dossiers.write.", scope="dossiers.write"',
      );
      expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    });
  });

  describe('expiry', () => {
    it('refuses a token once its lifetime is over', async () => {
      const clock = new FixedClock('2026-03-02T01:00:00Z');
      const shortLived = await startPortalSimulator({ port: 0, populationSize: 10, tokenTtlSeconds: 0.3, logger: silent, clock });
      try {
        const response = await fetch(`${shortLived.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=onestop-hub&client_secret=portal-sim-secret',
        });
        const { access_token: accessToken, expires_in: expiresIn } = (await response.json()) as TokenResponse;
        expect(expiresIn).toBe(1);
        const headers = { authorization: `Bearer ${accessToken}` };
        expect((await fetch(`${shortLived.url}/v1/procedures`, { headers })).status).toBe(200);
        clock.advance(299);
        expect((await fetch(`${shortLived.url}/v1/procedures`, { headers })).status).toBe(200);
        clock.advance(1);
        const expired = await fetch(`${shortLived.url}/v1/procedures`, { headers });
        expect(expired.status).toBe(401);
        expect(expired.headers.get('www-authenticate')).toContain('error_description="The access token has expired."');
        const stats = (await (await fetch(`${shortLived.url}/_sim/stats`)).json()) as SimulatorStats;
        expect(stats.authRejected.expiredToken).toBe(1);
      } finally {
        await shortLived.close();
      }
    });
  });

  describe('catalogue', () => {
    const page = async (query: string) => {
      const response = await authed(`/v1/procedures${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as ProcedurePage;
    };

    it('pages through the 41 procedures, oldest change first', async () => {
      const first = await page('?pageSize=10');
      expect(first).toMatchObject({ page: 1, pageSize: 10, totalItems: 41, totalPages: 5 });
      expect(first.items).toHaveLength(10);
      const all: CatalogueProcedure[] = [];
      for (let number = 1; number <= 5; number++) all.push(...(await page(`?page=${number}&pageSize=10`)).items);
      expect(all).toHaveLength(41);
      expect(new Set(all.map((p) => p.code)).size).toBe(41);
      const order = all.map((p) => `${p.updatedAt} ${p.code}`);
      expect(order).toEqual([...order].sort());
      expect((await page('?page=6&pageSize=10')).items).toEqual([]);
      expect((await page('')).items).toHaveLength(20);

      const birth = all.find((p) => p.code === '1.001193');
      expect(birth).toMatchObject({
        name: 'Thủ tục đăng ký khai sinh',
        field: 'Hộ tịch',
        fieldCode: 'HO_TICH',
        level: 'commune',
        resolution: { kind: 'same-day', cutoff: '15:00', dueSameDay: '16:30', dueNextDay: '16:30' },
        fees: [expect.objectContaining({ name: 'Lệ phí đăng ký khai sinh', amountVnd: 0 }), expect.objectContaining({ amountVnd: 8000 })],
      });
    });

    it('lists what changed since a time, inclusive, and sees a procedure touched now', async () => {
      const all = (await page('?pageSize=100')).items;
      const middle = all[20] as CatalogueProcedure;
      const since = await page(`?pageSize=100&updatedSince=${middle.updatedAt}`);
      expect(since.items[0]?.updatedAt).toBe(middle.updatedAt);
      expect(since.items.every((p) => p.updatedAt >= middle.updatedAt)).toBe(true);
      expect(since.totalItems).toBe(all.filter((p) => p.updatedAt >= middle.updatedAt).length);

      const before = formatPortalTimestamp(new Date(Date.now() - 1000));
      expect((await page(`?updatedSince=${before}`)).totalItems).toBe(0);
      const touched = await api('/_sim/catalogue/1.004222/touch', { method: 'POST' });
      expect(touched.status).toBe(200);
      const changed = await page(`?updatedSince=${before}`);
      expect(changed.items.map((p) => p.code)).toEqual(['1.004222']);
    });

    it('refuses malformed parameters, listing them', async () => {
      const response = await authed('/v1/procedures?page=0&pageSize=101&updatedSince=2025-07-01&pagesize=5');
      expect(response.status).toBe(400);
      const problem = (await response.json()) as Problem;
      expect(problem.code).toBe('INVALID_REQUEST');
      expect(problem.invalidFields?.map((field) => field.name)).toEqual(['pagesize', 'page', 'pageSize', 'updatedSince']);
    });
  });

  describe('dossier synchronisation', () => {
    it('takes a dossier, idempotently, and records every request received', async () => {
      const code = nextCode();
      const record = dossier(code);
      const first = await putDossier(record);
      expect(first.status).toBe(200);
      const receipt = (await first.json()) as Record<string, unknown>;
      expect(receipt).toEqual({ MaHoSo: code, KetQua: 'OK', ThoiDiemNhan: expect.stringMatching(/^\d{14}$/) });

      const held = await getDossier(code);
      expect(held).toEqual({ ...record, QuaTrinhXuLy: [], ThoiDiemNhan: receipt.ThoiDiemNhan, ThoiDiemCapNhat: receipt.ThoiDiemNhan });

      const again = await putDossier(record);
      expect(again.status).toBe(200);
      const after = await getDossier(code);
      expect({ ...after, ThoiDiemCapNhat: undefined }).toEqual({ ...held, ThoiDiemCapNhat: undefined });

      const log = await received(code);
      expect(log.requests).toHaveLength(2);
      expect(log.requests.map((r) => [r.operationId, r.method, r.path, r.status])).toEqual([
        ['syncDossier', 'PUT', `/v1/dossiers/${code}`, 200],
        ['syncDossier', 'PUT', `/v1/dossiers/${code}`, 200],
      ]);
      expect(log.requests[0]?.body).toEqual(record);
      expect(log.requests[1]!.sequence).toBeGreaterThan(log.requests[0]!.sequence);
      expect(Date.parse(log.requests[0]!.receivedAt)).toBeLessThanOrEqual(Date.parse(log.requests[1]!.receivedAt));
      expect(simulator.received().filter((r) => r.dossierCode === code)).toEqual(log.requests);
    });

    it('moves a dossier forward, skipped statuses included, up to its return', async () => {
      const code = nextCode();
      expect((await putDossier(dossier(code, { TrangThaiHoSo: 1, HinhThuc: 2, NgayHenTra: null }))).status).toBe(200);
      expect((await putDossier(dossier(code, { TrangThaiHoSo: 4 }))).status).toBe(200);
      expect((await putDossier(dossier(code, { TrangThaiHoSo: 10, NgayTra: '20251002160000' }))).status).toBe(200);
      expect(await getDossier(code)).toMatchObject({ TrangThaiHoSo: 10, NgayTra: '20251002160000', HinhThuc: 1 });
    });

    it('refuses an implausible status change with 409 and keeps what it had', async () => {
      const code = nextCode();
      await putDossier(dossier(code, { TrangThaiHoSo: 10, NgayTra: '20251002160000' }));
      const response = await putDossier(dossier(code, { TrangThaiHoSo: 4 }));
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({
        status: 409,
        code: 'IMPLAUSIBLE_TRANSITION',
        currentStatus: 10,
        requestedStatus: 4,
        detail: expect.stringContaining('It is final.'),
      });
      expect((await getDossier(code)).TrangThaiHoSo).toBe(10);

      const resolved = nextCode();
      await putDossier(dossier(resolved, { TrangThaiHoSo: 9 }));
      const back = await putDossier(dossier(resolved, { TrangThaiHoSo: 4 }));
      expect(await back.json()).toMatchObject({ code: 'IMPLAUSIBLE_TRANSITION', detail: expect.stringContaining('Plausible next: 10.') });
    });

    it('refuses a change of procedure', async () => {
      const code = nextCode();
      await putDossier(dossier(code));
      const response = await putDossier(dossier(code, { MaTTHC: '1.000656' }));
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ code: 'IMMUTABLE_FIELD' });
    });

    it('answers 400 listing the invalid fields, and records the request', async () => {
      const code = nextCode();
      const response = await putDossier({
        ...dossier(code),
        NgayTiepNhan: '2025-10-02 09:15',
        HinhThuc: 4,
        MaLinhVuc: 'DAT_DAI',
        Extra: 1,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({
        status: 400,
        code: 'INVALID_REQUEST',
        detail: 'Invalid fields: Extra, MaLinhVuc, HinhThuc, NgayTiepNhan.',
      });
      expect(problem.invalidFields?.find((field) => field.name === 'MaLinhVuc')?.reason).toContain('HO_TICH');
      expect(JSON.stringify(problem)).not.toContain('Lê Văn Bình');
      expect((await received(code)).requests.map((r) => r.status)).toEqual([400]);
      expect((await authed(`/v1/dossiers/${code}`)).status).toBe(404);
    });

    it('answers 400 to a body that is not JSON, and to a code that differs from the path', async () => {
      const code = nextCode();
      const broken = await authed(`/v1/dossiers/${code}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"MaHoSo":',
      });
      expect(broken.status).toBe(400);
      expect(await broken.json()).toMatchObject({ detail: 'The request body is not valid JSON.' });
      expect((await received(code)).requests[0]).toMatchObject({ body: '{"MaHoSo":', status: 400 });

      const other = await putDossier(dossier(code), nextCode());
      expect(((await other.json()) as Problem).invalidFields).toEqual([
        { name: 'MaHoSo', reason: 'Differs from the dossier code in the path.' },
      ]);
      expect((await authed('/v1/dossiers/not-a-code')).status).toBe(400);
    });

    it('adds progress lines once each, in time order', async () => {
      const code = nextCode();
      const missing = await sendJson('POST', `/v1/dossiers/${code}/progress`, progress());
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'DOSSIER_NOT_FOUND' });

      await putDossier(dossier(code, { TrangThaiHoSo: 4 }));
      const later = progress({ ThoiDiemXuLy: '20251002100000', NoiDungXuLy: 'Chuyển xử lý', TrangThai: 4 });
      for (const entry of [later, progress(), later]) {
        const response = await sendJson('POST', `/v1/dossiers/${code}/progress`, entry);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ MaHoSo: code, KetQua: 'OK' });
      }
      expect((await getDossier(code)).QuaTrinhXuLy).toEqual([progress(), later]);
      expect((await received(code)).requests.map((r) => r.operationId)).toEqual([
        'syncProgress',
        'syncDossier',
        'syncProgress',
        'syncProgress',
        'syncProgress',
      ]);

      const invalid = await sendJson('POST', `/v1/dossiers/${code}/progress`, progress({ TrangThai: 11, NguoiXuLy: '' }));
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as Problem).invalidFields?.map((field) => field.name)).toEqual(['NguoiXuLy', 'TrangThai']);
    });

    it('clears the received log on request', async () => {
      await putDossier(dossier(nextCode()));
      expect((await received()).requests.length).toBeGreaterThan(0);
      const reset = await api('/_sim/received/reset', { method: 'POST' });
      expect(((await reset.json()) as { cleared: number }).cleared).toBeGreaterThan(0);
      expect(await received()).toEqual({ requests: [], dropped: 0 });
    });
  });

  describe('citizen accounts', () => {
    it('answers for the citizens who have an account, as generated', async () => {
      const sample = (await (await api('/_sim/sample?count=5')).json()) as { withAccount: string[]; withoutAccount: string[] };
      expect(sample.withAccount).toHaveLength(5);
      expect(sample.withoutAccount).toHaveLength(5);
      for (const personalId of sample.withAccount) {
        const response = await authed(`/v1/citizen-accounts/${personalId}`);
        expect(response.status).toBe(200);
        const account = (await response.json()) as CitizenAccount;
        const index = simulator.population.indexOf(personalId) as number;
        expect(account).toEqual(citizenAccountAt(SEED, index));
        expect(account).toEqual(simulator.citizenAccount(personalId));
      }
      for (const personalId of [...sample.withoutAccount, '046203999999']) {
        const response = await authed(`/v1/citizen-accounts/${personalId}`);
        expect(response.status).toBe(404);
        const problem = (await response.json()) as Problem;
        expect(problem.code).toBe('ACCOUNT_NOT_FOUND');
        expect(problem.detail).not.toContain(personalId);
      }
    });

    it('answers 400 to a malformed personal id', async () => {
      const response = await authed('/v1/citizen-accounts/04620399999x');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_PERSONAL_ID' });
    });
  });

  describe('faults', () => {
    it('answers 503 to API and token calls during an outage, and recovers', async () => {
      expect((await setFaults({ outage: true })).body).toMatchObject({ outage: true });
      const list = await authed('/v1/procedures');
      expect(list.status).toBe(503);
      expect(list.headers.get('retry-after')).toBe('30');
      expect(await list.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      const tokenDuringOutage = await requestToken({
        grant_type: 'client_credentials',
        client_id: 'onestop-hub',
        client_secret: 'portal-sim-secret',
      });
      expect(tokenDuringOutage.status).toBe(503);
      const code = nextCode();
      expect((await putDossier(dossier(code))).status).toBe(503);
      expect((await received(code)).requests).toEqual([expect.objectContaining({ status: 503, fault: 'outage', body: dossier(code) })]);
      expect((await api('/healthz')).status).toBe(200);
      await setFaults({ outage: false });
      expect((await authed('/v1/procedures')).status).toBe(200);
    });

    it('answers 503 at the configured error rate', async () => {
      await setFaults({ errorRate: 1 });
      expect((await authed('/v1/procedures')).status).toBe(503);
      await setFaults({ errorRate: 0 });
      expect((await authed('/v1/procedures')).status).toBe(200);
    });

    it('answers 200 with a body that is not JSON when malformed', async () => {
      await setFaults({ malformed: true });
      const response = await putDossier(dossier(nextCode()));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await response.text();
      expect(() => JSON.parse(body)).toThrow(SyntaxError);
    });

    it('delays answers by the injected latency', async () => {
      await setFaults({ latencyMs: 250 });
      const started = performance.now();
      expect((await authed('/v1/procedures')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('never answers while the timeout fault is on', async () => {
      await setFaults({ timeout: true });
      await expect(authed('/v1/procedures', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    });

    it('switches faults at run time: PUT replaces, PATCH merges, bad values are refused', async () => {
      await setFaults({ latencyMs: 10, malformed: true });
      expect((await setFaults({ malformed: false, errorRate: 0.5 }, 'PATCH')).body).toEqual({
        latencyMs: 10,
        errorRate: 0.5,
        outage: false,
        timeout: false,
        malformed: false,
      });
      expect(await (await api('/_sim/faults')).json()).toMatchObject({ latencyMs: 10, errorRate: 0.5 });
      for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { outage: 'yes' }, { slow: true }]) {
        expect((await setFaults(bad)).status).toBe(400);
      }
      expect(await (await api('/_sim/faults')).json()).toMatchObject({ latencyMs: 10, errorRate: 0.5 });
    });
  });

  it('counts calls, tokens, refusals and faults, and resets the counts', async () => {
    const reset = (await (await api('/_sim/stats/reset', { method: 'POST' })).json()) as SimulatorStats;
    expect(Object.values(reset.calls).every((count) => count === 0)).toBe(true);
    await newToken();
    await authed('/v1/procedures');
    await api('/v1/procedures');
    await authed('/v1/procedures', {}, 'nope');
    await putDossier(dossier(nextCode()));
    await setFaults({ outage: true });
    await authed('/v1/citizen-accounts/046203999999');
    const stats = (await (await api('/_sim/stats')).json()) as SimulatorStats;
    expect(stats.calls).toEqual({
      requestToken: 1,
      listProcedures: 3,
      syncDossier: 1,
      syncProgress: 0,
      getSyncedDossier: 0,
      getCitizenAccount: 1,
    });
    expect(stats.tokensIssued).toBe(1);
    expect(stats.authRejected).toEqual({ invalidClient: 0, missingToken: 1, invalidToken: 1, expiredToken: 0, insufficientScope: 0 });
    expect(stats.faultsInjected).toEqual({ outage: 1, error: 0, timeout: 0, malformed: 0 });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await api('/v2/dossiers');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('national portal simulator lifecycle and logs', () => {
  it('closes even while a request is held by the timeout fault', async () => {
    const simulator = await startPortalSimulator({ port: 0, populationSize: 10, faults: { timeout: true }, logger: silent });
    const held = fetch(`${simulator.url}/v1/procedures`).catch((error: unknown) => error);
    // Closed once the simulator holds the call (counted as an injected timeout), not after a guessed delay.
    await until(async () => (await simulatorStats<BaseSimulatorStats>(simulator.url)).faultsInjected.timeout === 1, 'the call held');
    await simulator.close();
    expect(await held).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });

  it('logs requests without ids, names, tokens or secrets', async () => {
    const lines: string[] = [];
    const { default: pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const simulator = await startPortalSimulator({ port: 0, populationSize: 50, logger });
    const client = new PortalClient({ url: simulator.url, ...CLIENT, logger: silent });
    const [personalId] = simulator.population.personalIds(1) as [string];
    const code = nextCode();
    await client.syncDossier(dossier(code));
    await client.getCitizenAccount(personalId);
    const tokenResponse = await fetch(`${simulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=onestop-hub&client_secret=portal-sim-secret',
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as TokenResponse;
    await simulator.close();
    const text = lines.join('\n');
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.map((r) => r.route)).toEqual([
      '/oauth/token',
      '/v1/dossiers/:code',
      '/v1/citizen-accounts/:personalId',
      '/oauth/token',
    ]);
    for (const secret of [personalId, code, 'Lê Văn Bình', accessToken, 'portal-sim-secret']) expect(text).not.toContain(secret);
  });
});

describe('PortalClient against the simulator', () => {
  let simulator: RunningPortalSimulator;
  const stats = (target = simulator) => simulatorStats<SimulatorStats>(target.url);
  const setFaults = (faults: Record<string, unknown>) => setSimulatorFaults(simulator.url, faults);
  const client = (options: Partial<ConstructorParameters<typeof PortalClient>[0]> = {}) =>
    new PortalClient({ url: simulator.url, ...CLIENT, timeoutMs: 2_000, logger: silent, ...options });
  /** The hub error a call fails with. */
  const failure = async (call: Promise<unknown>): Promise<HubError> => {
    try {
      await call;
    } catch (error) {
      return error as HubError;
    }
    throw new Error('the call succeeded');
  };

  beforeAll(async () => {
    simulator = await startPortalSimulator({ port: 0, seed: SEED, populationSize: POPULATION, logger: silent });
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(async () => {
    await setFaults({});
    await resetSimulatorStats(simulator.url);
  });

  it('syncs a dossier mapped from a hub event, with its progress, on one token', async () => {
    const portal = client();
    const code = nextCode();
    const event = {
      code,
      action: 'RECEIVE',
      procedureCode: '1.001193',
      agencyCode: '000.00.01.H46',
      currentAgencyCode: '000.00.01.H46',
      channel: 'DESK',
      applicantKind: 'CITIZEN',
      status: 'RECEIVED',
      nationalStatusCode: 2,
      receivedAt: '2025-10-02T02:15:00.000Z',
      dueAt: '2025-10-02T09:30:00.000Z',
      at: '2025-10-02T02:15:00.000Z',
    };
    const [birth] = (await portal.listAllProcedures()).filter((p) => p.code === event.procedureCode);
    const record = toPortalDossier(event, { applicantName: 'Lê Văn Bình', fieldCode: birth!.fieldCode });
    expect(await portal.syncDossier(record)).toMatchObject({ MaHoSo: code, KetQua: 'OK' });
    await portal.syncProgress(code, toPortalProgress(event));
    await portal.syncDossier(record);
    const held = await portal.getSyncedDossier(code);
    expect(held).toMatchObject({ ...record, QuaTrinhXuLy: [toPortalProgress(event)] });
    const [withAccount] = ((await (await fetch(`${simulator.url}/_sim/sample?count=1`)).json()) as { withAccount: string[] }).withAccount;
    expect(await portal.getCitizenAccount(withAccount!)).toEqual(simulator.citizenAccount(withAccount!));

    expect(portal.tokenRequests).toBe(1);
    const counted = await stats();
    expect(counted.tokensIssued).toBe(1);
    expect(counted.calls).toMatchObject({
      requestToken: 1,
      listProcedures: 1,
      syncDossier: 2,
      syncProgress: 1,
      getSyncedDossier: 1,
      getCitizenAccount: 1,
    });
  });

  it('shares one token request between concurrent calls', async () => {
    const portal = client();
    const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => portal.listProcedures({ page, pageSize: 10 })));
    expect(pages.flatMap((p) => p.items)).toHaveLength(41);
    expect(portal.tokenRequests).toBe(1);
    expect((await stats()).tokensIssued).toBe(1);
  });

  it('gets a new token once when the portal forgets the tokens it issued', async () => {
    const portal = client();
    await portal.listProcedures();
    simulator.revokeTokens();
    expect((await portal.listProcedures({ pageSize: 5 })).items).toHaveLength(5);
    expect(portal.tokenRequests).toBe(2);
    const counted = await stats();
    expect(counted.authRejected.invalidToken).toBe(1);
    expect(counted.calls.listProcedures).toBe(3);
  });

  it('renews a short-lived token before it expires, and once more on a 401 when its clock is wrong', async () => {
    const clock = new FixedClock('2026-03-02T01:00:00Z');
    const shortLived = await startPortalSimulator({ port: 0, populationSize: 10, tokenTtlSeconds: 1, logger: silent, clock });
    try {
      // The client and the portal share one clock here: the client renews at half the lifetime.
      const portal = new PortalClient({ url: shortLived.url, ...CLIENT, logger: silent, clock });
      await portal.listProcedures();
      clock.advance(499);
      await portal.listProcedures();
      expect(portal.tokenRequests).toBe(1);
      clock.advance(101);
      await portal.listProcedures();
      expect(portal.tokenRequests).toBe(2);
      expect((await stats(shortLived)).authRejected.expiredToken).toBe(0);

      // A clock of its own that stands still never sees the token age: the portal's 401 makes the client renew it.
      const stuck = new PortalClient({ url: shortLived.url, ...CLIENT, logger: silent, clock: new FixedClock(clock.now()) });
      await stuck.listProcedures();
      clock.advance(1_100);
      expect((await stuck.listProcedures()).totalItems).toBe(41);
      expect(stuck.tokenRequests).toBe(2);
      expect((await stats(shortLived)).authRejected.expiredToken).toBe(1);
    } finally {
      await shortLived.close();
    }
  });

  it('maps an outage to UPSTREAM_UNAVAILABLE, on API and token calls, and recovers', async () => {
    const portal = client();
    await portal.listProcedures();
    await setFaults({ outage: true });
    const error = await failure(portal.syncDossier(dossier(nextCode())));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'PORTAL.SERVICE_UNAVAILABLE',
      details: { status: 503, retryAfterSeconds: 30 },
    });
    expect(await failure(client().listProcedures())).toBeInstanceOf(UpstreamUnavailableError);
    await setFaults({});
    expect(await portal.syncDossier(dossier(nextCode()))).toMatchObject({ KetQua: 'OK' });
  });

  it('maps a time-out and an unreadable answer to UPSTREAM_UNAVAILABLE', async () => {
    const portal = client({ timeoutMs: 300 });
    await portal.listProcedures();
    await setFaults({ timeout: true });
    expect(await failure(portal.listProcedures())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'PORTAL.TIMEOUT' });
    await setFaults({ malformed: true });
    expect(await failure(portal.syncDossier(dossier(nextCode())))).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'PORTAL.MALFORMED_RESPONSE',
    });
  });

  it('maps an unreachable portal to UPSTREAM_UNAVAILABLE', async () => {
    const gone = await startPortalSimulator({ port: 0, populationSize: 10, logger: silent });
    await gone.close();
    const error = await failure(new PortalClient({ url: gone.url, ...CLIENT, logger: silent }).listProcedures());
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.reason).toBe('PORTAL.UNREACHABLE');
  });

  it('maps 400 to BAD_USER_INPUT with the portal message and the invalid fields', async () => {
    const error = await failure(client().syncDossier(dossier(nextCode(), { NgayHenTra: 'tomorrow', HinhThuc: 9 as 1 })));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('The national public-service portal refused the data: Invalid fields: HinhThuc, NgayHenTra.');
    expect(error.reason).toBe('PORTAL.INVALID_REQUEST');
    expect(error.details).toMatchObject({ status: 400, invalidFields: [{ name: 'HinhThuc' }, { name: 'NgayHenTra' }] });
  });

  it('maps 409 to CONFLICT with the statuses', async () => {
    const portal = client();
    const code = nextCode();
    await portal.syncDossier(dossier(code, { TrangThaiHoSo: 10, NgayTra: '20251002160000' }));
    const error = await failure(portal.syncDossier(dossier(code, { TrangThaiHoSo: 4 })));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ reason: 'PORTAL.IMPLAUSIBLE_TRANSITION', details: { currentStatus: 10, requestedStatus: 4 } });
  });

  it('answers null for what the portal does not have, NOT_FOUND for progress of an unknown dossier', async () => {
    const portal = client();
    expect(await portal.getSyncedDossier(nextCode())).toBeNull();
    expect(await portal.getCitizenAccount('046203999999')).toBeNull();
    expect(await failure(portal.getCitizenAccount('abc'))).toBeInstanceOf(InvalidInputError);
    const error = await failure(portal.syncProgress(nextCode(), progress() as never));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.reason).toBe('PORTAL.DOSSIER_NOT_FOUND');
  });

  it('reports refused credentials and missing scopes as configuration errors', async () => {
    const wrong = await failure(client({ clientSecret: 'wrong' }).listProcedures());
    expect(wrong).toBeInstanceOf(ConfigurationError);
    expect(wrong.reason).toBe('PORTAL.INVALID_CLIENT');
    expect(wrong.message).not.toContain('wrong');
    const badScope = await failure(client({ scope: 'everything' }).listProcedures());
    expect(badScope).toMatchObject({ code: 'CONFIGURATION_INVALID', reason: 'PORTAL.TOKEN_REQUEST_REFUSED' });
    const readOnly = await failure(client({ scope: 'catalogue.read' }).syncDossier(dossier(nextCode())));
    expect(readOnly).toMatchObject({ code: 'CONFIGURATION_INVALID', reason: 'PORTAL.INSUFFICIENT_SCOPE' });
  });

  it('lists the procedures changed since a time', async () => {
    const portal = client();
    const all = await portal.listAllProcedures();
    expect(all).toHaveLength(41);
    const latest = all.at(-1) as CatalogueProcedure;
    const since = await portal.listAllProcedures(new Date(Date.now() + 60_000));
    expect(since).toEqual([]);
    const page = await portal.listProcedures({ updatedSince: new Date(Date.UTC(2025, 8, 1)), pageSize: 100 });
    expect(page.items.every((p) => p.updatedAt >= '20250901070000')).toBe(true);
    expect(page.items.at(-1)).toEqual(latest);
  });
});
