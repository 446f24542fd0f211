import type { AgencyRegistry } from '../../domain/ports/agency-registry.port';
import type { CertificateAuthority, IssueOptions } from '../pki/certificate-authority';
import { AgencySealSigner } from './agency-seal-signer';

/** A CA double that records what it was asked to issue, and stops there. */
function recordingAuthority() {
  const issued: IssueOptions[] = [];
  const authority = {
    list: () => [],
    usable: () => true,
    issue(options: IssueOptions) {
      issued.push(options);
      return { record: { serialNumber: '01' }, certificatePem: '' };
    },
    certificatePem() {
      throw new Error('stop after issuing');
    },
  } as unknown as CertificateAuthority;
  return { authority, issued };
}

const REGISTRY: AgencyRegistry = {
  find: async (code) => (code === '000.01.15.H46' ? { code, name: 'Văn phòng Đăng ký đất đai Thành phố Huế' } : null),
};

const DIGEST = Buffer.alloc(32, 7);

describe('agency seals', () => {
  it('forged-seal walk: never mints a seal for an agency code the registry does not know', async () => {
    const { authority, issued } = recordingAuthority();
    const signer = new AgencySealSigner(authority, REGISTRY);
    await expect(signer.signDigest({ code: '000.99.99.H46', name: 'Cơ quan giả' }, DIGEST, new Date())).rejects.toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SEAL.UNKNOWN_AGENCY',
    });
    expect(issued).toEqual([]);
  });

  it('never mints a seal under a name other than the registered one', async () => {
    const { authority, issued } = recordingAuthority();
    const signer = new AgencySealSigner(authority, REGISTRY);
    await expect(signer.signDigest({ code: '000.01.15.H46', name: 'Tên tự đặt' }, DIGEST, new Date())).rejects.toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SEAL.AGENCY_MISMATCH',
    });
    expect(issued).toEqual([]);
  });

  it('issues a registered agency its seal under the registered name and code', async () => {
    const { authority, issued } = recordingAuthority();
    const signer = new AgencySealSigner(authority, REGISTRY);
    await expect(
      signer.signDigest({ code: '000.01.15.H46', name: 'Văn phòng Đăng ký đất đai Thành phố Huế' }, DIGEST, new Date()),
    ).rejects.toThrow('stop after issuing');
    expect(issued).toEqual([
      {
        profile: 'organisation-signing',
        subject: {
          commonName: 'Văn phòng Đăng ký đất đai Thành phố Huế',
          organisation: 'Văn phòng Đăng ký đất đai Thành phố Huế',
          organisationIdentifier: '000.01.15.H46',
        },
      },
    ]);
  });
});
