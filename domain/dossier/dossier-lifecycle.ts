import type { EventType } from '../events/dossier-events';
import { InvalidTransitionError } from '../errors';
import { DOSSIER_STATUSES, type DossierStatus } from './dossier-status';

/** What an officer, the applicant or an agency can do to a dossier. */
export const DOSSIER_ACTIONS = [
  'ACCEPT_ONLINE',
  'FORWARD',
  'REQUEST_SUPPLEMENT',
  'SUBMIT_SUPPLEMENT',
  'REQUEST_PAYMENT',
  'CONFIRM_PAYMENT',
  'RECORD_RESULT',
  'RETURN_RESULT',
  'REJECT',
  'WITHDRAW',
  'STOP',
] as const;

export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

interface Rule {
  from: readonly DossierStatus[];
  to: DossierStatus;
  event: EventType | undefined;
  /** Officer-facing description, used in error messages. */
  describe: string;
}

const OPEN: readonly DossierStatus[] = ['RECEIVED', 'PROCESSING', 'SUPPLEMENT_REQUESTED', 'PAYMENT_REQUESTED'];

/** The lifecycle, as data: one row per action. */
export const LIFECYCLE: Readonly<Record<DossierAction, Rule>> = {
  ACCEPT_ONLINE: { from: ['REGISTERED_ONLINE'], to: 'RECEIVED', event: 'dossier.received', describe: 'accept an online registration' },
  FORWARD: { from: ['RECEIVED', 'PROCESSING'], to: 'PROCESSING', event: 'dossier.forwarded', describe: 'forward to the competent agency' },
  REQUEST_SUPPLEMENT: {
    from: ['RECEIVED', 'PROCESSING'],
    to: 'SUPPLEMENT_REQUESTED',
    event: 'dossier.supplement-requested',
    describe: 'request a supplement',
  },
  SUBMIT_SUPPLEMENT: { from: ['SUPPLEMENT_REQUESTED'], to: 'PROCESSING', event: undefined, describe: 'submit the supplement' },
  REQUEST_PAYMENT: { from: ['PROCESSING'], to: 'PAYMENT_REQUESTED', event: undefined, describe: 'request payment of fees' },
  CONFIRM_PAYMENT: { from: ['PAYMENT_REQUESTED'], to: 'PROCESSING', event: undefined, describe: 'confirm payment' },
  RECORD_RESULT: { from: ['PROCESSING'], to: 'RESOLVED', event: 'dossier.result-recorded', describe: 'record the result' },
  RETURN_RESULT: { from: ['RESOLVED'], to: 'RETURNED', event: 'dossier.returned', describe: 'return the result' },
  REJECT: { from: ['REGISTERED_ONLINE', ...OPEN], to: 'REFUSED', event: 'dossier.rejected', describe: 'refuse the dossier' },
  WITHDRAW: { from: ['REGISTERED_ONLINE', ...OPEN], to: 'WITHDRAWN', event: 'dossier.withdrawn', describe: 'withdraw the dossier' },
  STOP: { from: OPEN, to: 'STOPPED', event: undefined, describe: 'stop processing' },
};

export function allowedActions(status: DossierStatus): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => LIFECYCLE[action].from.includes(status));
}

export interface Transition {
  from: DossierStatus;
  to: DossierStatus;
  event: EventType | undefined;
}

/** The status after `action`, or INVALID_TRANSITION naming the current status and what is allowed. */
export function transition(status: DossierStatus, action: DossierAction): Transition {
  const rule = LIFECYCLE[action];
  if (!rule.from.includes(status)) {
    const allowed = allowedActions(status);
    const label = DOSSIER_STATUSES[status].label;
    throw new InvalidTransitionError(
      `Cannot ${rule.describe}: the dossier is ${status} (${label}). ${
        allowed.length ? `Allowed now: ${allowed.map((a) => LIFECYCLE[a].describe).join(', ')}.` : 'No further action is possible.'
      }`,
      { reason: 'DOSSIER.INVALID_TRANSITION', details: { currentStatus: status, action, allowedActions: allowed } },
    );
  }
  return { from: status, to: rule.to, event: rule.event };
}
