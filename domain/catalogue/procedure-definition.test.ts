import { concernsLandParcel, type ComponentRequirement } from './procedure-definition';

const paper = (registrySource: ComponentRequirement['registrySource']): ComponentRequirement => ({
  code: 'C01',
  name: 'Giấy tờ',
  kind: 'copy',
  quantity: 1,
  required: true,
  documentTypeCode: null,
  registrySource,
});

describe('procedures about a land parcel', () => {
  it('are the land and building procedures', () => {
    expect(concernsLandParcel({ field: 'Đất đai', components: [] })).toBe(true);
    expect(concernsLandParcel({ field: 'Hoạt động xây dựng', components: [paper(null)] })).toBe(true);
  });

  it('include any procedure with a paper the land registry holds', () => {
    expect(concernsLandParcel({ field: 'Chứng thực', components: [paper(null), paper('land')] })).toBe(true);
  });

  it('exclude the others', () => {
    expect(concernsLandParcel({ field: 'Hộ tịch', components: [paper('population')] })).toBe(false);
    expect(concernsLandParcel({ field: 'Đất', components: [] })).toBe(false);
  });
});
