import { parseEnterpriseCode } from '../../../domain/identifiers/enterprise-code';
import { createPopulation, generateCitizen } from '../../population/simulator/citizen-generator';
import {
  DEFAULT_SIMULATOR_SEED as POPULATION_DEFAULT_SEED,
  DEFAULT_SIMULATOR_SIZE as POPULATION_DEFAULT_SIZE,
} from '../../population/simulator/population-simulator.server';
import { COMMUNES } from '../../population/simulator/synthetic-reference-data';
import { ENTERPRISE_ATTRIBUTES, ENTERPRISE_STATUSES, ENTERPRISE_TYPES, type Enterprise } from '../business-registry.types';
import {
  MAX_REGISTRY_SIZE,
  businessesRepresentedBy,
  createBusinessRegistry,
  generateEnterprise,
  generateEnterpriseCode,
  representativeIndex,
  type BusinessRegistry,
} from './business-generator';
import { DEFAULT_POPULATION_SIZE, DEFAULT_SIMULATOR_SEED, DEFAULT_SIMULATOR_SIZE } from './business-simulator.server';
import { DISTINCTIVE_FIRST, DISTINCTIVE_SECOND, VSIC_CLASSES } from './synthetic-business-data';

const SEED = 20250701;
const SIZE = DEFAULT_SIMULATOR_SIZE;
const POPULATION_SIZE = DEFAULT_POPULATION_SIZE;
const AS_OF = Date.parse('2025-10-01T00:00:00+07:00');

/** Whole years between a date of birth and a later date (both YYYY-MM-DD). */
function ageOn(dateOfBirth: string, date: string): number {
  const birthday = dateOfBirth.slice(5);
  return Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4)) - (date.slice(5) < birthday ? 1 : 0);
}

describe('defaults', () => {
  it('match the population simulator, so representatives are its citizens', () => {
    expect(DEFAULT_SIMULATOR_SEED).toBe(POPULATION_DEFAULT_SEED);
    expect(DEFAULT_POPULATION_SIZE).toBe(POPULATION_DEFAULT_SIZE);
    expect([DEFAULT_SIMULATOR_SEED, DEFAULT_SIMULATOR_SIZE, DEFAULT_POPULATION_SIZE]).toEqual([20250701, 2000, 10_000]);
  });
});

describe('generateEnterprise', () => {
  it('gives the same enterprise for the same seed, index and population size', () => {
    for (const index of [0, 1, 1999, 123_456, MAX_REGISTRY_SIZE - 1]) {
      expect(generateEnterprise(SEED, index, POPULATION_SIZE)).toEqual(generateEnterprise(SEED, index, POPULATION_SIZE));
    }
  });

  it('gives other enterprises for another seed', () => {
    expect(generateEnterprise(SEED + 1, 7, POPULATION_SIZE).enterpriseCode).not.toBe(
      generateEnterprise(SEED, 7, POPULATION_SIZE).enterpriseCode,
    );
  });

  it('gives codes that depend on the seed and index only', () => {
    for (const index of [0, 5, 77, 1999]) {
      const code = generateEnterpriseCode(SEED, index);
      expect(generateEnterprise(SEED, index, POPULATION_SIZE).enterpriseCode).toBe(code);
      expect(generateEnterprise(SEED, index, 50).enterpriseCode).toBe(code);
    }
  });

  it.each([-1, 1.5, MAX_REGISTRY_SIZE, Number.NaN])('rejects the index %d', (index) => {
    expect(() => generateEnterprise(SEED, index, POPULATION_SIZE)).toThrow(RangeError);
    expect(() => representativeIndex(SEED, index, POPULATION_SIZE)).toThrow(RangeError);
  });

  it.each([0, -1, 2.5, 1_000_001])('rejects the population size %d', (populationSize) => {
    expect(() => generateEnterprise(SEED, 0, populationSize)).toThrow(RangeError);
    expect(() => createBusinessRegistry(SEED, 10, populationSize)).toThrow(RangeError);
  });

  it('rejects bad seeds and registry sizes', () => {
    expect(() => generateEnterprise(-1, 0, POPULATION_SIZE)).toThrow(RangeError);
    expect(() => createBusinessRegistry(SEED, MAX_REGISTRY_SIZE + 1, POPULATION_SIZE)).toThrow(RangeError);
  });

  it('finds an adult representative even in a population of one', () => {
    const enterprise = generateEnterprise(SEED, 3, 1);
    expect(enterprise.legalRepresentative.personalId).toBe(generateCitizen(SEED, 0).personalId);
  });
});

describe('createBusinessRegistry', () => {
  let registry: BusinessRegistry;
  let enterprises: Enterprise[];

  beforeAll(() => {
    registry = createBusinessRegistry(SEED, SIZE, POPULATION_SIZE);
    enterprises = [...registry.values()];
  });

  it('has the requested size, in index order, independent of the registry size', () => {
    expect(registry.size).toBe(SIZE);
    expect(enterprises).toHaveLength(SIZE);
    const smaller = createBusinessRegistry(SEED, 100, POPULATION_SIZE);
    expect([...smaller.keys()]).toEqual(registry.enterpriseCodes(100));
    expect([...smaller.values()]).toEqual(enterprises.slice(0, 100));
    for (const index of [0, 99, 1234, SIZE - 1]) expect(enterprises[index]).toEqual(generateEnterprise(SEED, index, POPULATION_SIZE));
    const code = enterprises[42]!.enterpriseCode;
    expect(registry.get(code)).toEqual(enterprises[42]);
    expect(registry.indexOf(code)).toBe(42);
    expect(registry.has(code)).toBe(true);
    expect(registry.get('0100109106')).toBeUndefined();
  });

  it('behaves as a read-only map by enterprise code', () => {
    const [firstCode, first] = registry.entries().next().value as [string, Enterprise];
    expect(first.enterpriseCode).toBe(firstCode);
    let visited = 0;
    createBusinessRegistry(SEED, 10, POPULATION_SIZE).forEach((enterprise, code) => {
      expect(enterprise.enterpriseCode).toBe(code);
      visited++;
    });
    expect(visited).toBe(10);
    expect(createBusinessRegistry(SEED, 0, POPULATION_SIZE).size).toBe(0);
  });

  it('gives valid, unique enterprise codes, prefixed by the province of registration', () => {
    const codes = enterprises.map((e) => e.enterpriseCode);
    expect(new Set(codes).size).toBe(SIZE);
    const wrong = codes.filter((code) => {
      const parsed = parseEnterpriseCode(code);
      return !parsed.ok || parsed.value.branch !== undefined || !['31', '32', '33'].includes(code.slice(0, 2));
    });
    expect(wrong).toEqual([]);
    // The third digit moves to 1 only where 0 leaves no valid check digit (about 1 in 11).
    const shifted = codes.filter((code) => code[2] === '1').length / SIZE;
    expect(shifted).toBeGreaterThan(0.05);
    expect(shifted).toBeLessThan(0.14);
  });

  it('keeps codes unique over the largest registry', () => {
    const codes = new Set<string>();
    for (let index = 0; index < MAX_REGISTRY_SIZE; index += 97) codes.add(generateEnterpriseCode(SEED, index));
    expect(codes.size).toBe(Math.ceil(MAX_REGISTRY_SIZE / 97));
  });

  it('numbers dependent units 001, 002, ... after the enterprise code', () => {
    const withUnits = enterprises.filter((e) => e.dependentUnits.length > 0);
    expect(withUnits.length).toBeGreaterThan(SIZE * 0.03);
    for (const enterprise of withUnits) {
      expect(enterprise.dependentUnits).toEqual(
        enterprise.dependentUnits.map((_, i) => `${enterprise.enterpriseCode}-${String(i + 1).padStart(3, '0')}`),
      );
      const registered = enterprise.history.filter((event) => event.change.startsWith('Đăng ký hoạt động'));
      expect(registered.map((event) => event.change.slice(-14))).toEqual(enterprise.dependentUnits);
      for (const unit of enterprise.dependentUnits) expect(parseEnterpriseCode(unit).ok).toBe(true);
    }
  });

  it('takes each legal representative from the population: the citizen at representativeIndex', () => {
    const population = createPopulation(SEED, POPULATION_SIZE);
    const wrong: string[] = [];
    enterprises.forEach((enterprise, index) => {
      const citizenIndex = representativeIndex(SEED, index, POPULATION_SIZE);
      const citizen = generateCitizen(SEED, citizenIndex);
      const { legalRepresentative: rep } = enterprise;
      if (
        registry.representativeIndexAt(index) !== citizenIndex ||
        rep.personalId !== citizen.personalId ||
        rep.fullName !== citizen.fullName ||
        population.indexOf(rep.personalId) !== citizenIndex ||
        ageOn(citizen.dateOfBirth, enterprise.foundedOn) < 18
      ) {
        wrong.push(`${index} ${enterprise.enterpriseCode}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(registry.representativeIds()).toEqual(enterprises.map((e) => e.legalRepresentative.personalId));
  });

  it('lets a citizen represent several companies, but own at most one sole proprietorship', () => {
    const counts = new Map<string, number>();
    for (const e of enterprises) counts.set(e.legalRepresentative.personalId, (counts.get(e.legalRepresentative.personalId) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(2);
    expect(counts.size).toBeLessThan(SIZE);
    const owners = enterprises.filter((e) => e.type === 'SOLE_PROPRIETORSHIP').map((e) => e.legalRepresentative.personalId);
    expect(owners.length).toBeGreaterThan(SIZE * 0.04);
    expect(new Set(owners).size).toBe(owners.length);
  });

  it('finds the enterprises a citizen represents, as the registry does', () => {
    const byRepresentative = new Map<string, string[]>();
    for (const e of enterprises) {
      byRepresentative.set(e.legalRepresentative.personalId, [
        ...(byRepresentative.get(e.legalRepresentative.personalId) ?? []),
        e.enterpriseCode,
      ]);
    }
    expect(new Set(registry.representatives())).toEqual(new Set(byRepresentative.keys()));
    const several = [...byRepresentative].find(([, codes]) => codes.length > 1) as [string, string[]];
    for (const [personalId, codes] of [several, ...[...byRepresentative].slice(0, 50)]) {
      const found = businessesRepresentedBy(SEED, SIZE, POPULATION_SIZE, personalId);
      expect(found.map((e) => e.enterpriseCode)).toEqual(codes);
      expect(registry.representedBy(personalId)).toEqual(found);
      expect(found.every((e) => e.legalRepresentative.personalId === personalId)).toBe(true);
    }
    const nobody = createPopulation(SEED, POPULATION_SIZE)
      .personalIds()
      .find((id) => !byRepresentative.has(id)) as string;
    expect(businessesRepresentedBy(SEED, SIZE, POPULATION_SIZE, nobody)).toEqual([]);
    expect(businessesRepresentedBy(SEED, SIZE, POPULATION_SIZE, '046203999999')).toEqual([]);
  });

  it('gives unique Vietnamese names made of the legal form, the trade and a distinctive name', () => {
    const prefixes: Record<string, RegExp> = {
      SOLE_PROPRIETORSHIP: /^Doanh nghiệp tư nhân /,
      SINGLE_MEMBER_LLC: /^Công ty TNHH /,
      MULTI_MEMBER_LLC: /^Công ty TNHH (?!Một thành viên)/,
      JOINT_STOCK: /^Công ty Cổ phần /,
      PARTNERSHIP: /^Công ty Hợp danh /,
    };
    expect(enterprises.filter((e) => !prefixes[e.type]!.test(e.name))).toEqual([]);
    expect(new Set(enterprises.map((e) => e.name)).size).toBe(SIZE);
    const international = enterprises.flatMap((e) => (e.internationalName ? [e.internationalName] : []));
    expect(international.length).toBeGreaterThan(SIZE * 0.6);
    expect(international.filter((name) => !/^[A-Z0-9 .,&]+$/.test(name))).toEqual([]);
    const short = enterprises.flatMap((e) => (e.shortName ? [e.shortName] : []));
    expect(new Set(short).size).toBe(short.length);
    expect(enterprises.some((e) => e.name.includes('Thương mại'))).toBe(true);
  });

  it('builds distinctive names from syllables that stay distinct without diacritics (Thanh and Thành would clash)', () => {
    const latin = (word: string) =>
      word
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/gi, 'd')
        .toUpperCase();
    for (const syllables of [DISTINCTIVE_FIRST, DISTINCTIVE_SECOND]) {
      expect(new Set(syllables.map(latin)).size).toBe(syllables.length);
      expect(syllables.every((syllable) => /^\p{L}+$/u.test(syllable))).toBe(true);
    }
  });

  it('keeps names unique beyond the two-syllable combinations, with place names', () => {
    const names = [...createBusinessRegistry(SEED, 6_000, POPULATION_SIZE).values()].map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(4_500).some((name) => / (Huế|Sông Hương|Phú Xuân)$/.test(name))).toBe(true);
  });

  it('registers VSIC business lines with exactly one main line', () => {
    const wrong = enterprises.filter((e) => {
      const codes = e.businessLines.map((line) => line.code);
      return (
        e.businessLines.filter((line) => line.main).length !== 1 ||
        new Set(codes).size !== codes.length ||
        e.businessLines.some((line) => !/^\d{4}$/.test(line.code) || VSIC_CLASSES[line.code] !== line.name)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('places head offices in real communes, some at the representative’s home', () => {
    const communes = new Map(COMMUNES.map((c) => [c.code, c]));
    const wrong = enterprises.filter(({ headOffice: office }) => {
      const commune = communes.get(office.communeCode);
      return (
        commune?.provinceCode !== office.provinceCode ||
        office.fullAddress !== `${office.addressLine}, ${commune.name}, ${commune.provinceName}`
      );
    });
    expect(wrong).toEqual([]);
    const atHome = enterprises.filter(
      (e, index) =>
        e.headOffice.fullAddress === generateCitizen(SEED, registry.representativeIndexAt(index)!).permanentResidence.fullAddress,
    );
    expect(atHome.length).toBeGreaterThan(SIZE * 0.03);
  });

  it('covers every legal form and status, with round positive capital', () => {
    expect(new Set(enterprises.map((e) => e.type))).toEqual(new Set(ENTERPRISE_TYPES));
    expect(new Set(enterprises.map((e) => e.status))).toEqual(new Set(ENTERPRISE_STATUSES));
    expect(enterprises.filter((e) => e.status === 'ACTIVE').length / SIZE).toBeGreaterThan(0.7);
    const wrong = enterprises.filter((e) => !Number.isSafeInteger(e.registeredCapitalVnd) || e.registeredCapitalVnd < 1e8);
    expect(wrong).toEqual([]);
    expect(enterprises.some((e) => e.registeredCapitalVnd > 2 ** 31)).toBe(true);
  });

  it('keeps a history in time order that starts with the first registration and explains the status', () => {
    const wrong: string[] = [];
    for (const e of enterprises) {
      const [first] = e.history;
      const times = e.history.map((event) => Date.parse(event.at));
      if (first?.change !== 'Đăng ký thành lập doanh nghiệp' || !first.at.startsWith(e.foundedOn)) wrong.push(`${e.enterpriseCode} first`);
      if (e.history.some((event, i) => event.registrationNumber !== i + 1 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/.test(event.at))) {
        wrong.push(`${e.enterpriseCode} numbering`);
      }
      if (times.some((t, i) => i > 0 && t < times[i - 1]!) || times.some((t) => t >= AS_OF)) wrong.push(`${e.enterpriseCode} order`);
      const last = e.history[e.history.length - 1]!.change;
      const expected = {
        ACTIVE: (change: string) => !/tạm ngừng|giải thể|phá sản/.test(change),
        SUSPENDED: (change: string) => change === 'Thông báo tạm ngừng kinh doanh',
        DISSOLVING: (change: string) => change === 'Thông báo giải thể doanh nghiệp',
        DISSOLVED: (change: string) => change === 'Đăng ký giải thể doanh nghiệp',
        BANKRUPT: (change: string) => change.includes('phá sản'),
      }[e.status];
      if (!expected(last)) wrong.push(`${e.enterpriseCode} ${e.status} ${last}`);
      // Registrations are made on working days.
      if (e.history.some((event) => [0, 6].includes(new Date(`${event.at.slice(0, 10)}T12:00:00Z`).getUTCDay())))
        wrong.push(`${e.enterpriseCode} weekend`);
    }
    expect(wrong).toEqual([]);
  });

  it('dates every attribute update from the history, addresses after the 2025 reorganisation', () => {
    const wrong: string[] = [];
    for (const e of enterprises) {
      if (e.attributeUpdates.map((u) => u.attribute).join() !== ENTERPRISE_ATTRIBUTES.join()) wrong.push(`${e.enterpriseCode} attributes`);
      const founded = Date.parse(e.history[0]!.at);
      const recorded = new Set(e.history.map((event) => Date.parse(event.at)));
      for (const { attribute, updatedAt } of e.attributeUpdates) {
        const at = Date.parse(updatedAt);
        if (at < founded || at >= AS_OF) wrong.push(`${e.enterpriseCode} ${attribute} range`);
        if (attribute !== 'headOffice' && !recorded.has(at)) wrong.push(`${e.enterpriseCode} ${attribute} not in history`);
      }
      const status = e.attributeUpdates.find((u) => u.attribute === 'status')!.updatedAt;
      if (e.status !== 'ACTIVE' && status !== e.history[e.history.length - 1]!.at) wrong.push(`${e.enterpriseCode} status time`);
      const office = e.attributeUpdates.find((u) => u.attribute === 'headOffice')!.updatedAt;
      if (e.status !== 'DISSOLVED' && e.status !== 'BANKRUPT' && office < '2025-07-01') wrong.push(`${e.enterpriseCode} office ${office}`);
    }
    expect(wrong).toEqual([]);
  });

  // How fast is measured in bench/, never here: a loaded machine would fail a time limit.
  it('indexes 100,000 enterprises over a million citizens, every code and representative found', () => {
    const large = createBusinessRegistry(SEED, 100_000, 1_000_000);
    expect(large.size).toBe(100_000);
    for (const index of [0, 49_999, 99_999]) {
      const code = generateEnterpriseCode(SEED, index);
      expect(large.indexOf(code)).toBe(index);
      expect(large.representativeIndexAt(index)).toBe(representativeIndex(SEED, index, 1_000_000));
    }
  });
});
