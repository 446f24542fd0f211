import { generateCitizen } from '../../population/simulator/citizen-generator';
import { parsePortalTimestamp } from '../portal.types';
import { ACCOUNT_MIN_AGE, citizenAccountAt } from './citizen-accounts';
import { fieldCodeOf, loadCatalogue, syntheticUpdatedAt } from './portal-catalogue';
import { parseCliOptions } from './main';

const SEED = 20250701;

describe('citizen accounts', () => {
  const accounts = Array.from({ length: 2000 }, (_, index) => ({
    citizen: generateCitizen(SEED, index),
    account: citizenAccountAt(SEED, index),
  }));

  it('are the same for the same seed and index, and differ with the seed', () => {
    expect(citizenAccountAt(SEED, 7)).toEqual(citizenAccountAt(SEED, 7));
    const other = Array.from({ length: 200 }, (_, index) => citizenAccountAt(SEED + 1, index) !== undefined);
    expect(other).not.toEqual(accounts.slice(0, 200).map((a) => a.account !== undefined));
  });

  it('exist only for people old enough, about three in four of them', () => {
    const cutoff = `${2025 - ACCOUNT_MIN_AGE}-10-01`;
    const eligible = accounts.filter((a) => a.citizen.dateOfBirth <= cutoff);
    for (const { citizen, account } of accounts) if (citizen.dateOfBirth > cutoff) expect(account).toBeUndefined();
    const share = eligible.filter((a) => a.account).length / eligible.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it('carry the citizen id, a level, and well-formed contacts', () => {
    const held = accounts.flatMap((a) => (a.account ? [{ ...a, account: a.account }] : []));
    for (const { citizen, account } of held) {
      expect(account.personalId).toBe(citizen.personalId);
      expect([1, 2]).toContain(account.accountLevel);
      expect(typeof account.linkedVNeID).toBe('boolean');
      if (account.phone !== undefined) expect(account.phone).toMatch(/^0\d{9}$/);
      if (account.email !== undefined) expect(account.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+\d+@example\.com$/);
    }
    const level2 = held.filter((h) => h.account.accountLevel === 2).length / held.length;
    expect(level2).toBeGreaterThan(0.7);
    expect(held.some((h) => h.account.email === undefined)).toBe(true);
  });
});

describe('portal catalogue', () => {
  it('publishes the 41 procedures with field codes and update times', () => {
    const catalogue = loadCatalogue();
    expect(catalogue).toHaveLength(41);
    expect(catalogue[0]).toMatchObject({ code: '1.001193', field: 'Hộ tịch', fieldCode: 'HO_TICH', level: 'commune' });
    for (const procedure of catalogue) {
      const updatedAt = parsePortalTimestamp(procedure.updatedAt);
      expect(updatedAt?.toISOString()).toBeDefined();
      expect(procedure.updatedAt >= '20250701000000' && procedure.updatedAt < '20251001000000').toBe(true);
      expect(Object.keys(procedure).sort()).toEqual(['code', 'fees', 'field', 'fieldCode', 'level', 'name', 'resolution', 'updatedAt']);
    }
    expect(new Set(catalogue.map((p) => p.updatedAt)).size).toBeGreaterThan(35);
    expect(syntheticUpdatedAt('1.001193')).toBe(catalogue[0]?.updatedAt);
  });

  it.each([
    ['Hộ tịch', 'HO_TICH'],
    ['Đất đai', 'DAT_DAI'],
    ['Đăng ký, quản lý cư trú', 'DANG_KY_QUAN_LY_CU_TRU'],
    ['Hộ tịch (liên thông điện tử)', 'HO_TICH_LIEN_THONG_DIEN_TU'],
  ])('codes the field %s as %s', (field, code) => {
    expect(fieldCodeOf(field)).toBe(code);
  });
});

describe('portal simulator command line', () => {
  it('uses the defaults', () => {
    expect(parseCliOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 4104,
      seed: 20250701,
      populationSize: 10000,
      clientId: 'onestop-hub',
      clientSecret: 'portal-sim-secret',
      tokenTtlSeconds: 300,
    });
  });

  it('reads the environment, and options win over it', () => {
    const env = {
      PORTAL_SIM_PORT: '5000',
      PORTAL_SIM_CLIENT_ID: 'from-env',
      PORTAL_SIM_CLIENT_SECRET: 's3cret',
      PORTAL_SIM_TOKEN_TTL: '60',
    };
    expect(parseCliOptions(['--port', '0', '--population-size', '500', '--token-ttl', '2'], env)).toMatchObject({
      port: 0,
      populationSize: 500,
      clientId: 'from-env',
      clientSecret: 's3cret',
      tokenTtlSeconds: 2,
    });
    expect(parseCliOptions(['-h'], {})).toBe('help');
  });

  it('configures the prefill demo with the hub, from options or the environment', () => {
    expect(parseCliOptions([], {})).toMatchObject({ hub: undefined });
    expect(parseCliOptions(['--hub-url', 'http://127.0.0.1:4000/'], { PORTAL_SIM_HUB_CLIENT_SECRET: 'demo-secret' })).toMatchObject({
      hub: { url: 'http://127.0.0.1:4000', clientId: 'demo-portal', clientSecret: 'demo-secret' },
    });
    expect(
      parseCliOptions([], {
        PORTAL_SIM_HUB_URL: 'https://hub.example',
        PORTAL_SIM_HUB_CLIENT_ID: 'a-portal',
        PORTAL_SIM_HUB_CLIENT_SECRET: 'x',
      }),
    ).toMatchObject({ hub: { url: 'https://hub.example', clientId: 'a-portal', clientSecret: 'x' } });
  });

  it.each([
    [['--hub-url', 'http://127.0.0.1:4000'], '--hub-client-secret (or PORTAL_SIM_HUB_CLIENT_SECRET) is required with --hub-url'],
    [['--hub-url', 'not a url', '--hub-client-secret', 'x'], '--hub-url must be an http(s) URL'],
    [['--hub-url', 'ftp://hub.example', '--hub-client-secret', 'x'], '--hub-url must be an http(s) URL'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--token-ttl', '0'], '--token-ttl must be an integer from 1 to 86400'],
    [['--client-id', ''], '--client-id must not be empty'],
    [['--size', '5'], "Unknown option '--size'"],
  ])('refuses %p', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });
});
