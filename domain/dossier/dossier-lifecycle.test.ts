import { InvalidTransitionError } from '../errors';
import { allowedActions, DOSSIER_ACTIONS, LIFECYCLE, transition } from './dossier-lifecycle';
import { DOSSIER_STATUS_NAMES, FINAL_STATUSES, nationalStatusCode, statusFromNationalCode } from './dossier-status';

describe('dossier lifecycle', () => {
  it('walks the ordinary path from reception to return', () => {
    let status = transition('RECEIVED', 'FORWARD').to;
    status = transition(status, 'REQUEST_SUPPLEMENT').to;
    expect(status).toBe('SUPPLEMENT_REQUESTED');
    status = transition(status, 'SUBMIT_SUPPLEMENT').to;
    status = transition(status, 'RECORD_RESULT').to;
    expect(status).toBe('RESOLVED');
    expect(transition(status, 'RETURN_RESULT')).toEqual({ from: 'RESOLVED', to: 'RETURNED', event: 'dossier.returned' });
  });

  it('allows nothing after a final status', () => {
    for (const status of FINAL_STATUSES) expect(allowedActions(status)).toEqual([]);
  });

  it('refuses an illegal transition naming the current status and the allowed actions', () => {
    expect.assertions(4);
    try {
      transition('RESOLVED', 'FORWARD');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTransitionError);
      const e = error as InvalidTransitionError;
      expect(e.code).toBe('INVALID_TRANSITION');
      expect(e.message).toContain('RESOLVED (Đã xử lý xong)');
      expect(e.details).toMatchObject({ currentStatus: 'RESOLVED', allowedActions: ['RETURN_RESULT'] });
    }
  });

  it('is total: every action/status pair either moves to a known status or is refused', () => {
    for (const status of DOSSIER_STATUS_NAMES) {
      for (const action of DOSSIER_ACTIONS) {
        if (LIFECYCLE[action].from.includes(status)) expect(DOSSIER_STATUS_NAMES).toContain(transition(status, action).to);
        else expect(() => transition(status, action)).toThrow(InvalidTransitionError);
      }
    }
  });

  it('maps statuses to the national codes 1-10 and back', () => {
    expect(DOSSIER_STATUS_NAMES.map(nationalStatusCode)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(statusFromNationalCode(9)).toBe('RESOLVED');
    expect(statusFromNationalCode(11)).toBeUndefined();
  });
});
