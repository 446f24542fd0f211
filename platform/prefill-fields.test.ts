import { shippedPrefillFields } from './prefill-fields';

describe('shipped prefill fields', () => {
  it('cover the seeded birth, residence, marital-status, land and business procedures, and validate', () => {
    expect([...shippedPrefillFields().keys()].sort()).toEqual(['1.001193', '1.001612', '1.004222', '1.004873', '1.013978']);
  });
});
