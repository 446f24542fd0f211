import type { Clock } from '../../domain/clock';
import { systemClock } from '../../domain/clock';
import type { DocumentSigner, ResultRecord } from '../../domain/ports/document-signer.port';
import { RENEW_BEFORE_EXPIRY_MS, type CertificateAuthority } from '../pki/certificate-authority';
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
  private readonly seals = new Map<string, { serial: string; signer: CmsSigner; notAfter: Date }>();

  constructor(
    private readonly authority: CertificateAuthority,
    private readonly clock: Clock = systemClock,
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
  sealOf(agency: { code: string; name: string }): { serial: string; signer: CmsSigner; notAfter: Date } {
    const now = this.clock.now().getTime();
    const cached = this.seals.get(agency.code);
    if (cached && cached.notAfter.getTime() - RENEW_BEFORE_EXPIRY_MS > now && this.authority.record(cached.serial).status === 'VALID')
      return cached;
    const marker = `organizationIdentifier=${agency.code},`;
    const usable = this.authority
      .list()
      .find(
        (r) =>
          r.profile === 'organisation-signing' &&
          r.status === 'VALID' &&
          r.hasKey &&
          `${r.subject},`.includes(marker) &&
          Date.parse(r.notAfter) - RENEW_BEFORE_EXPIRY_MS > now &&
          Date.parse(r.notBefore) <= now,
      );
    const serial =
      usable?.serialNumber ??
      this.authority.issue({
        profile: 'organisation-signing',
        subject: { commonName: agency.name, organisation: agency.name, organisationIdentifier: agency.code },
      }).record.serialNumber;
    const certificate = certificateFromPem(this.authority.certificatePem(serial));
    const seal = {
      serial,
      notAfter: certificate.validity.notAfter,
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
