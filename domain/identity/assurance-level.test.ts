import { assuranceLevelOf, meetsAssurance } from './assurance-level';

describe('levels of assurance', () => {
  it.each([
    ['urn:vneid:loa:1', 1],
    ['urn:vneid:loa:2', 2],
    ['urn:vneid:loa:3', 3],
    ['urn:vneid:loa:0', undefined],
    ['urn:vneid:loa:22', undefined],
    ['urn:other:loa:2', undefined],
    ['2', undefined],
    [2, undefined],
    [undefined, undefined],
  ])('%p is level %p', (acr, level) => {
    expect(assuranceLevelOf(acr)).toBe(level);
  });

  it.each([
    ['urn:vneid:loa:2', 'urn:vneid:loa:2', true],
    ['urn:vneid:loa:3', 'urn:vneid:loa:2', true],
    ['urn:vneid:loa:1', 'urn:vneid:loa:2', false],
    [undefined, 'urn:vneid:loa:1', false],
    ['urn:other:3', 'urn:vneid:loa:1', false],
    ['urn:vneid:loa:3', 'not-a-level', false],
  ])('%p meets %p: %p', (acr, required, meets) => {
    expect(meetsAssurance(acr, required)).toBe(meets);
  });
});
