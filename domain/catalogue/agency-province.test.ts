import { readFileSync } from 'node:fs';
import path from 'node:path';
import { agenciesInProvince, provinceOfAgency, PROVINCES_2025, type AgencyPlacement } from './agency-province';

const root = path.join(__dirname, '..', '..');

describe('agencies placed in the 2025 provinces', () => {
  it('lists exactly the 34 provinces of reference/admin-units.json', () => {
    const units = JSON.parse(readFileSync(path.join(root, 'reference', 'admin-units.json'), 'utf8')) as {
      provinces2025: { code: string; name: string }[];
    };
    expect([...PROVINCES_2025.entries()]).toEqual(units.provinces2025.map((p) => [p.code, p.name]));
    expect(PROVINCES_2025.size).toBe(34);
  });

  const agencies: AgencyPlacement[] = [
    { code: 'P46', level: 'province', adminUnitCode: '46' },
    { code: 'P46-DEPT', level: 'province', parentCode: 'P46', adminUnitCode: '46' },
    { code: 'C-19753', level: 'commune', parentCode: 'P46', adminUnitCode: '19753' },
    { code: 'P44', level: 'province', adminUnitCode: '44' },
    { code: 'C-19000', level: 'commune', parentCode: 'P44', adminUnitCode: '19000' },
    // A commune agency under no province, and one whose parents loop: in no province.
    { code: 'ORPHAN', level: 'commune', adminUnitCode: '19754' },
    { code: 'LOOP-A', level: 'commune', parentCode: 'LOOP-B' },
    { code: 'LOOP-B', level: 'commune', parentCode: 'LOOP-A' },
    // A province-level agency with a malformed unit code places nothing under it.
    { code: 'P-BAD', level: 'province', adminUnitCode: '0146' },
    { code: 'C-BAD', level: 'commune', parentCode: 'P-BAD', adminUnitCode: '19755' },
  ];

  it('places a commune agency by its parent chain, a province agency by its own code', () => {
    const byCode = new Map(agencies.map((a) => [a.code, a]));
    expect(agencies.map((a) => [a.code, provinceOfAgency(a, byCode)])).toEqual([
      ['P46', '46'],
      ['P46-DEPT', '46'],
      ['C-19753', '46'],
      ['P44', '44'],
      ['C-19000', '44'],
      ['ORPHAN', null],
      ['LOOP-A', null],
      ['LOOP-B', null],
      ['P-BAD', null],
      ['C-BAD', null],
    ]);
  });

  it('names the agencies of one province only', () => {
    expect(agenciesInProvince(agencies, '46')).toEqual(['P46', 'P46-DEPT', 'C-19753']);
    expect(agenciesInProvince(agencies, '44')).toEqual(['P44', 'C-19000']);
    expect(agenciesInProvince(agencies, '01')).toEqual([]);
  });
});
