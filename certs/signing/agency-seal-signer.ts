import type { DocumentSigner, ResultRecord } from '../../domain/ports/document-signer.port';
import type { CertificateAuthority } from '../pki/certificate-authority';
import { certificateFromPem } from '../pki/x509';
import { signDetached, type CmsSigner, type TimeStamper } from './cms';
import { signJson } from './jws';
import { signPdf } from './pades';
import { renderResultNotice } from './result-document';

/**
 * Signs with each agency's organisation certificate (its electronic seal), issued by the hub's CA
 * the first time the agency signs and again when it nears expiry or was revoked.
 */
export class AgencySealSigner implements DocumentSigner {
  private readonly seals = new Map<string, { serial: string; signer: CmsSigner }>();

  constructor(
    private readonly authority: CertificateAuthority,
    /** For result notices: fonts with Vietnamese glyphs, and the hub's public address printed on them. */
    private readonly notices: { fonts: { regular: Buffer; bold: Buffer }; publicUrl: string } | undefined = undefined,
    /** Time-stamps every signature (CAdES-T, PAdES B-T) so it proves when it was made. */
    private readonly timeStamp: TimeStamper | undefined = undefined,
  ) {}

  async signDigest(agency: { code: string; name: string }, sha256: Buffer, signedAt: Date) {
    const seal = this.sealOf(agency);
    return { signature: signDetached({ sha256 }, seal.signer, signedAt, { timeStamp: this.timeStamp }), signerSerial: seal.serial };
  }

  async signResult(agency: { code: string; name: string }, record: ResultRecord, accessKey: string, signedAt: Date) {
    if (!this.notices) throw new Error('result notices need fonts and the public address');
    const seal = this.sealOf(agency);
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

  /** The serial number of the seal the agency signs with now (issuing one when needed). */
  sealOf(agency: { code: string; name: string }): { serial: string; signer: CmsSigner } {
    const cached = this.seals.get(agency.code);
    if (cached && this.authority.usable(this.authority.record(cached.serial))) return cached;
    const marker = `organizationIdentifier=${agency.code},`;
    const usable = this.authority
      .list()
      .find((r) => r.profile === 'organisation-signing' && `${r.subject},`.includes(marker) && this.authority.usable(r));
    const serial =
      usable?.serialNumber ??
      this.authority.issue({
        profile: 'organisation-signing',
        subject: { commonName: agency.name, organisation: agency.name, organisationIdentifier: agency.code },
      }).record.serialNumber;
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
