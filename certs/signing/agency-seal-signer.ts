import { ForbiddenError } from '../../domain/errors';
import type { AgencyRegistry } from '../../domain/ports/agency-registry.port';
import type { DocumentSigner, ResultRecord } from '../../domain/ports/document-signer.port';
import type { CertificateAuthority } from '../pki/certificate-authority';
import { certificateFromPem } from '../pki/x509';
import { signDetached, type CmsSigner, type TimeStamper } from './cms';
import { signJson } from './jws';
import { signPdf } from './pades';
import { renderResultNotice } from './result-document';

/**
 * Where seals come from: the CA that holds their keys, and which seal an agency signs with now
 * (issued when it has none usable). Replicas sharing one CA decide that in the database
 * (`SharedCertificateAuthority.sealFor`); a lone CA decides it by itself (`localSeals`).
 */
export interface SealAuthority {
  readonly authority: CertificateAuthority;
  sealFor(agency: { code: string; name: string }): Promise<string>;
}

/** Seals of a CA used by one process alone: the newest usable organisation certificate of the agency, or a new one. */
export function localSeals(authority: CertificateAuthority): SealAuthority {
  return {
    authority,
    async sealFor(agency) {
      const marker = `organizationIdentifier=${agency.code},`;
      const usable = authority
        .list()
        .find((r) => r.profile === 'organisation-signing' && `${r.subject},`.includes(marker) && authority.usable(r));
      return (
        usable?.serialNumber ??
        authority.issue({
          profile: 'organisation-signing',
          subject: { commonName: agency.name, organisation: agency.name, organisationIdentifier: agency.code },
        }).record.serialNumber
      );
    },
  };
}

/**
 * Signs with each agency's organisation certificate (its electronic seal), issued by the hub's CA
 * the first time the agency signs and again when it nears expiry or was revoked. Only for agencies
 * in the registry, under the registry's name: a seal is never minted for a code the hub does not
 * know, nor under a name the caller made up. (Which agency may sign what is the access policy's.)
 */
export class AgencySealSigner implements DocumentSigner {
  private readonly seals = new Map<string, { serial: string; signer: CmsSigner }>();
  private readonly source: SealAuthority;

  constructor(
    authority: CertificateAuthority | SealAuthority,
    /** Answers whether an agency exists and its name (the `agency` table). */
    private readonly agencies: AgencyRegistry,
    /** For result notices: fonts with Vietnamese glyphs, and the hub's public address printed on them. */
    private readonly notices: { fonts: { regular: Buffer; bold: Buffer }; publicUrl: string } | undefined = undefined,
    /** Time-stamps every signature (CAdES-T, PAdES B-T) so it proves when it was made. */
    private readonly timeStamp: TimeStamper | undefined = undefined,
  ) {
    this.source = 'sealFor' in authority ? authority : localSeals(authority);
  }

  private get authority(): CertificateAuthority {
    return this.source.authority;
  }

  async signDigest(agency: { code: string; name: string }, sha256: Buffer, signedAt: Date) {
    const seal = await this.sealOf(await this.registered(agency));
    return { signature: signDetached({ sha256 }, seal.signer, signedAt, { timeStamp: this.timeStamp }), signerSerial: seal.serial };
  }

  async signResult(agency: { code: string; name: string }, record: ResultRecord, accessKey: string, signedAt: Date) {
    if (!this.notices) throw new Error('result notices need fonts and the public address');
    const known = await this.registered(agency);
    if (record.agency.code !== known.code || record.agency.name !== known.name) {
      throw new ForbiddenError(`A result of agency ${known.code} names that agency as its author, as registered.`, {
        reason: 'SEAL.AGENCY_MISMATCH',
      });
    }
    const seal = await this.sealOf(known);
    const notice = await renderResultNotice(
      { ...record, agency, accessKey, publicUrl: this.notices.publicUrl.replace(/\/$/, '') },
      this.notices.fonts,
    );
    const pdf = await signPdf(notice, seal.signer, {
      reason: 'Ký số kết quả giải quyết thủ tục hành chính',
      location: agency.name,
      signingTime: signedAt,
      font: this.notices.fonts.regular,
      timeStamp: this.timeStamp,
    });
    return {
      pdf,
      pdfSignature: signDetached({ bytes: pdf }, seal.signer, signedAt, { timeStamp: this.timeStamp }),
      jws: await signJson(record, seal.signer),
      signerSerial: seal.serial,
    };
  }

  /** The agency as registered; refused when the hub does not know it or knows it under another name. */
  private async registered(agency: { code: string; name: string }): Promise<{ code: string; name: string }> {
    const known = await this.agencies.find(agency.code);
    if (!known) {
      throw new ForbiddenError(`The hub seals only for agencies in its registry; ${agency.code.slice(0, 40)} is not one of them.`, {
        reason: 'SEAL.UNKNOWN_AGENCY',
      });
    }
    if (known.name !== agency.name) {
      throw new ForbiddenError(`Agency ${known.code} is registered as "${known.name}": its seal carries that name only.`, {
        reason: 'SEAL.AGENCY_MISMATCH',
      });
    }
    return known;
  }

  /** The seal a registered agency signs with now (issuing one when needed). */
  private async sealOf(agency: { code: string; name: string }): Promise<{ serial: string; signer: CmsSigner }> {
    const cached = this.seals.get(agency.code);
    if (cached && this.authority.usable(this.authority.record(cached.serial))) return cached;
    const serial = await this.source.sealFor(agency);
    const certificate = certificateFromPem(this.authority.certificatePem(serial));
    const seal = {
      serial,
      signer: {
        certificate,
        privateKey: this.authority.privateKey(serial),
        chain: [this.authority.issuingCertificate, this.authority.rootCertificate],
      },
    };
    this.seals.set(agency.code, seal);
    return seal;
  }
}
