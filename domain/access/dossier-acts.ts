/**
 * Who acts on a dossier, as one table: for every action, which party may do it.
 *
 * - `receiving-desk`: the one-stop desk that received the dossier (it accepts online registrations
 *   and hands the result back to the applicant, wherever the dossier was processed);
 * - `holder`: the agency holding the dossier now (`currentAgency`): the one whose step is open. Once it
 *   forwards the dossier it no longer acts on it, so no agency signs or decides in another's name;
 * - `applicant`: the applicant, through the portal that submitted the dossier, or at the receiving desk.
 *
 * The access policy (access-policy.ts) applies the table; access-policy.test.ts writes the outcomes out.
 */
export const DOSSIER_ACTS = [
  'accept',
  'requestSupplement',
  'submitSupplement',
  'forward',
  'completeStep',
  'recordResult',
  'extendDeadline',
  'returnResult',
  'reject',
  'stop',
  'withdraw',
  'rate',
  /** Digitizing a paper into the dossier (sao y), signed with the caller's own seal. */
  'digitize',
] as const;

export type DossierAct = (typeof DOSSIER_ACTS)[number];

export type ActingParty = 'receiving-desk' | 'holder' | 'applicant';

export const WHO_ACTS: Readonly<Record<DossierAct, readonly ActingParty[]>> = {
  accept: ['receiving-desk'],
  requestSupplement: ['holder'],
  submitSupplement: ['applicant'],
  forward: ['holder'],
  completeStep: ['holder'],
  recordResult: ['holder'],
  extendDeadline: ['holder'],
  returnResult: ['receiving-desk'],
  reject: ['holder'],
  stop: ['holder'],
  withdraw: ['applicant'],
  rate: ['applicant'],
  digitize: ['receiving-desk', 'holder'],
};

/** How an action reads in a sentence ("only the agency holding it can …"). */
export const ACT_LABELS: Readonly<Record<DossierAct, string>> = {
  accept: 'accept the online registration',
  requestSupplement: 'request a supplement',
  submitSupplement: 'hand in the supplement',
  forward: 'forward it',
  completeStep: 'complete its step',
  recordResult: 'record and seal its result',
  extendDeadline: 'extend its deadline',
  returnResult: 'return its result',
  reject: 'refuse it',
  stop: 'stop it',
  withdraw: 'withdraw it',
  rate: 'rate the service',
  digitize: 'digitize papers into it',
};
