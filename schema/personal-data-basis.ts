import type { ConsentAttribute, ConsentRecord } from '../domain/consent/consent';
import { ConsentRequiredError, ForbiddenError } from '../domain/errors';
import { scopeOf } from '../store/dossier-scope';
import type { DossierEntity } from '../store/entities/dossier.entity';
import type { HubContext } from './context';

export interface BasisArguments {
  dossierCode?: string | null | undefined;
  consentToken?: string | null | undefined;
}

/** The basis a read was allowed on, and how the processing log names it. */
export type ReadBasis = { kind: 'dossier'; dossier: DossierEntity; ref: string } | { kind: 'consent'; consent: ConsentRecord; ref: string };

export interface BasisSubject {
  matches(dossier: DossierEntity): boolean;
  what: string;
  /** The person the read is about, when known before reading (a citizen); a parcel's holders are checked on the data. */
  personalId?: string | undefined;
  /** What a consent must cover for this read at all (each field is checked again where it is read). */
  attributes: readonly ConsentAttribute[];
}

/**
 * The legal basis for a registry read about a person or their land, named by the caller: a dossier
 * their agency received or handles that is about this person or parcel, or the citizen's consent
 * token (checked against its stored record; only the client it is bound to may present it).
 * Throws FORBIDDEN, UNAUTHENTICATED or CONSENT_REQUIRED otherwise.
 */
export async function requirePersonalDataBasis(context: HubContext, args: BasisArguments, about: BasisSubject): Promise<ReadBasis> {
  if (args.consentToken !== null && args.consentToken !== undefined) {
    if (args.dossierCode) {
      throw new ForbiddenError('Name one legal basis: a dossier or a consent token, not both.', { reason: 'PERSONAL_DATA.TWO_BASES' });
    }
    const principal = context.principal;
    // The policy first (a portal with personal-data:read), then the record: a token never opens a door the client has not.
    context.authorize({
      action: 'personal-data.read',
      basis: { kind: 'consent', boundClientId: principal.kind === 'PUBLIC' ? '' : principal.clientId },
    });
    const consent = await context.services.consents.present(args.consentToken, {
      clientId: principal.kind === 'PUBLIC' ? '' : principal.clientId,
      personalId: about.personalId,
      attributes: about.attributes,
    });
    context.authorize({ action: 'personal-data.read', basis: { kind: 'consent', boundClientId: consent.clientId } });
    return { kind: 'consent', consent, ref: `consent:${consent.id}` };
  }
  const dossier = await requireDossierBasis(context, args, about);
  return { kind: 'dossier', dossier, ref: `dossier:${dossier.code}` };
}

/** A dossier as the basis (reads consent does not cover, e.g. the vault's documents). */
export async function requireDossierBasis(
  context: HubContext,
  args: BasisArguments,
  about: { matches(dossier: DossierEntity): boolean; what: string },
): Promise<DossierEntity> {
  if (args.consentToken !== null && args.consentToken !== undefined) {
    throw new ConsentRequiredError('A consent covers registry attributes only, not this read: name the dossier that is its legal basis.', {
      reason: 'CONSENT.NOT_A_BASIS_HERE',
    });
  }
  if (!args.dossierCode) {
    context.authorize({ action: 'personal-data.read', basis: { kind: 'none' } });
    throw new ForbiddenError('Name the dossier that is the legal basis for this read (dossierCode).', {
      reason: 'PERSONAL_DATA.NO_LEGAL_BASIS',
    });
  }
  const dossier = await context.services.dossiers.findByCode(args.dossierCode);
  context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: scopeOf(dossier) } });
  if (!about.matches(dossier)) {
    throw new ForbiddenError(`Dossier ${dossier.code} is not about ${about.what}, so it is no legal basis to see its data.`, {
      reason: 'PERSONAL_DATA.BASIS_MISMATCH',
    });
  }
  return dossier;
}
