import { isConsistentWithBirth, parsePersonalId } from '../../../domain/identifiers/personal-id';
import { CITIZEN_ATTRIBUTES, type Citizen } from '../population-registry.types';
import {
  EARLIEST_BIRTH_YEAR,
  LATEST_BIRTH_YEAR,
  MAX_POPULATION_SIZE,
  createPopulation,
  generateCitizen,
  type Population,
} from './citizen-generator';
import { COMMUNES } from './synthetic-reference-data';

const SEED = 20250701;

function ageOn20251001(dateOfBirth: string): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  return 2025 - year - (month > 10 || (month === 10 && day > 1) ? 1 : 0);
}

function shares<T>(values: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  let total = 0;
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
    total++;
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => [value, count / total]));
}

describe('generateCitizen', () => {
  it('gives the same citizen for the same seed and index', () => {
    for (const index of [0, 1, 63, 64, 12_345, MAX_POPULATION_SIZE - 1]) {
      expect(generateCitizen(SEED, index)).toEqual(generateCitizen(SEED, index));
    }
  });

  it('gives other citizens for another seed', () => {
    const a = generateCitizen(SEED, 7);
    const b = generateCitizen(SEED + 1, 7);
    expect(b.personalId).not.toBe(a.personalId);
  });

  it('accepts large seeds', () => {
    expect(generateCitizen(2 ** 40 + 3, 0).personalId).not.toBe(generateCitizen(3, 0).personalId);
  });

  it.each([-1, 1.5, MAX_POPULATION_SIZE, Number.NaN])('rejects the index %d', (index) => {
    expect(() => generateCitizen(SEED, index)).toThrow(RangeError);
  });

  it.each([-1, 0.5, Number.MAX_SAFE_INTEGER + 1])('rejects the seed %d', (seed) => {
    expect(() => generateCitizen(seed, 0)).toThrow(RangeError);
  });
});

describe('createPopulation', () => {
  let population: Population;
  let citizens: Citizen[];

  beforeAll(() => {
    population = createPopulation(SEED, 20_000);
    citizens = [...population.values()];
  });

  it('has the requested size, in index order, independent of the population size', () => {
    expect(population.size).toBe(20_000);
    expect(citizens).toHaveLength(20_000);
    const smaller = createPopulation(SEED, 1_000);
    expect([...smaller.keys()]).toEqual(population.personalIds(1_000));
    for (const index of [0, 5, 999, 19_999]) {
      expect(citizens[index]).toEqual(generateCitizen(SEED, index));
    }
    expect(population.get(citizens[42]!.personalId)).toEqual(citizens[42]);
    expect(population.indexOf(citizens[42]!.personalId)).toBe(42);
  });

  it('is the same for the same seed', () => {
    expect(createPopulation(SEED, 2_000).personalIds()).toEqual(population.personalIds(2_000));
  });

  it('behaves as a read-only map by personal id', () => {
    const [firstId, first] = population.entries().next().value as [string, Citizen];
    expect(first.personalId).toBe(firstId);
    expect(population.has(firstId)).toBe(true);
    expect(population.get('000000000000')).toBeUndefined();
    expect(population.has('000000000000')).toBe(false);
    let visited = 0;
    createPopulation(SEED, 10).forEach((citizen, id) => {
      expect(citizen.personalId).toBe(id);
      visited++;
    });
    expect(visited).toBe(10);
    expect(createPopulation(SEED, 0).size).toBe(0);
    expect(() => createPopulation(SEED, MAX_POPULATION_SIZE + 1)).toThrow(RangeError);
  });

  it('gives unique personal ids', () => {
    expect(new Set(citizens.map((c) => c.personalId)).size).toBe(20_000);
  });

  it('gives valid ids consistent with the date of birth and sex', () => {
    const wrong = citizens.filter((citizen) => {
      const parsed = parsePersonalId(citizen.personalId, { referenceYear: 2025 });
      return (
        !parsed.ok ||
        parsed.value.birthProvinceCode !== citizen.birthProvinceCode ||
        !isConsistentWithBirth(parsed.value, citizen.dateOfBirth, citizen.sex)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('builds full names from the parts, with a Vietnamese nationality', () => {
    const wrong = citizens.filter((c) => c.fullName !== `${c.familyName} ${c.middleName} ${c.givenName}` || c.nationality !== 'VN');
    expect(wrong).toEqual([]);
  });

  it('spreads births over 1940–2024', () => {
    const years = citizens.map((c) => Number(c.dateOfBirth.slice(0, 4)));
    expect(Math.min(...years)).toBe(EARLIEST_BIRTH_YEAR);
    expect(Math.max(...years)).toBe(LATEST_BIRTH_YEAR);
    for (let decade = 1940; decade <= 2020; decade += 10) {
      expect(years.filter((y) => y >= decade && y < decade + 10).length).toBeGreaterThan(citizens.length * 0.03);
    }
  });

  it('draws family names with their national shares: Nguyễn first, then Trần and Lê', () => {
    const familyNames = shares(citizens.map((c) => c.familyName));
    const ranking = [...familyNames.keys()];
    expect(ranking.slice(0, 3)).toEqual(['Nguyễn', 'Trần', 'Lê']);
    expect(familyNames.get('Nguyễn')).toBeGreaterThan(0.35);
    expect(familyNames.get('Nguyễn')).toBeLessThan(0.42);
  });

  it('draws middle and given names by sex', () => {
    const female = citizens.filter((c) => c.sex === 'FEMALE');
    const male = citizens.filter((c) => c.sex === 'MALE');
    expect(female.filter((c) => c.middleName.split(' ')[0] === 'Thị').length / female.length).toBeGreaterThan(0.4);
    expect(male.some((c) => c.middleName.split(' ').includes('Thị'))).toBe(false);
    expect([...shares(male.map((c) => c.middleName.split(' ')[0])).keys()][0]).toBe('Văn');
    expect(female.some((c) => c.givenName === 'Tuấn')).toBe(false);
    expect(male.some((c) => c.givenName === 'Trang')).toBe(false);
    expect(Math.abs(male.length / citizens.length - 0.5)).toBeLessThan(0.05);
  });

  it('draws ethnicity with the census shares', () => {
    const groups = shares(citizens.map((c) => c.ethnicity));
    expect([...groups.keys()][0]).toBe('Kinh');
    expect(groups.get('Kinh')).toBeGreaterThan(0.8);
    expect(groups.get('Kinh')).toBeLessThan(0.9);
    expect(groups.size).toBeGreaterThan(20);
  });

  it('houses everyone in real communes of Huế and Quảng Trị', () => {
    const communes = new Map(COMMUNES.map((c) => [c.code, c]));
    const wrong = citizens
      .flatMap((c) => [c.permanentResidence, c.currentResidence])
      .filter((residence) => {
        const commune = communes.get(residence.communeCode);
        return (
          commune?.provinceCode !== residence.provinceCode ||
          residence.fullAddress !== `${residence.addressLine}, ${commune.name}, ${commune.provinceName}`
        );
      });
    expect(wrong).toEqual([]);
    expect(citizens.filter((c) => c.currentResidence !== c.permanentResidence).length).toBeGreaterThan(0);
    expect(new Set(citizens.map((c) => c.permanentResidence.provinceCode))).toEqual(new Set(['44', '46']));
  });

  it('groups citizens in households of 1–6 sharing the permanent residence, with one head', () => {
    const households = new Map<string, Citizen[]>();
    for (const citizen of citizens) {
      const members = households.get(citizen.householdId) ?? [];
      members.push(citizen);
      households.set(citizen.householdId, members);
    }
    const sizes = new Set<number>();
    const wrong: string[] = [];
    for (const [householdId, members] of households) {
      sizes.add(members.length);
      const heads = members.filter((m) => m.isHouseholdHead).length;
      const addresses = new Set(members.map((m) => m.permanentResidence.fullAddress)).size;
      if (heads !== 1 || addresses !== 1) wrong.push(householdId);
    }
    expect(wrong).toEqual([]);
    expect([...sizes].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const average = citizens.length / households.size;
    expect(average).toBeGreaterThan(3);
    expect(average).toBeLessThan(4);
  });

  it('gives marital statuses plausible for the age', () => {
    const underAge = citizens.filter((c) => c.maritalStatus !== 'SINGLE' && ageOn20251001(c.dateOfBirth) < (c.sex === 'MALE' ? 20 : 18));
    expect(underAge).toEqual([]);
    const statuses = shares(citizens.map((c) => c.maritalStatus));
    expect([...statuses.keys()].slice(0, 2)).toEqual(['MARRIED', 'SINGLE']);
    const elderly = citizens.filter((c) => ageOn20251001(c.dateOfBirth) >= 75);
    const widowed = elderly.filter((c) => c.maritalStatus === 'WIDOWED').length;
    expect(widowed / elderly.length).toBeGreaterThan(0.1);
  });

  it('dates every attribute update between the record creation and the data date', () => {
    const asOf = Date.parse('2025-10-01T00:00:00+07:00');
    const wrong: string[] = [];
    for (const citizen of citizens) {
      const born = Date.parse(`${citizen.dateOfBirth}T00:00:00+07:00`);
      if (citizen.attributeUpdates.map((u) => u.attribute).join() !== CITIZEN_ATTRIBUTES.join()) wrong.push(citizen.personalId);
      for (const { attribute, updatedAt } of citizen.attributeUpdates) {
        const at = Date.parse(updatedAt);
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/.test(updatedAt) || !(at > born && at < asOf)) {
          wrong.push(`${citizen.personalId} ${attribute} ${updatedAt}`);
        }
        // Every address was converted to the new communes after 1 July 2025.
        if (attribute.endsWith('Residence') && updatedAt < '2025-07-01') wrong.push(`${citizen.personalId} ${attribute}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // How fast is measured in bench/, never here: a loaded machine would fail a time limit.
  it('generates 100,000 citizens, each the one its index gives', () => {
    const large = createPopulation(SEED, 100_000);
    expect(large.size).toBe(100_000);
    for (const index of [0, 49_999, 99_999]) {
      const citizen = generateCitizen(SEED, index);
      expect(large.indexOf(citizen.personalId)).toBe(index);
    }
  });
});
