import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CertificateAuthority, type AuthoritySettings } from '../certs/pki/certificate-authority';
import { SharedCertificateAuthority } from '../certs/pki/shared-authority';
import type { CertificateStore } from '../domain/ports/certificate-store.port';
import { CERTIFICATE_PROFILES, REVOCATION_REASONS, type CertificateProfile, type RevocationReason } from '../certs/pki/x509';
import { InvalidInputError } from '../domain/errors';

export const PKI_HELP = `  pki init [--force]
                   Create the certificate authority (root and issuing CA) in the database.
  pki issue --profile PROFILE --cn NAME [--org ORG] [--unit UNIT] [--agency CODE]
            [--province P] [--dns NAME,...] [--public-key FILE] [--out FILE]
                   Issue a certificate (PROFILE: ${CERTIFICATE_PROFILES.filter((p) => !p.endsWith('-ca')).join(', ')}).
                   Without --public-key the hub generates the key and keeps it encrypted.
  pki list [--json] The issued certificates, newest first.
  pki revoke SERIAL [--reason REASON]
                   Revoke a certificate and publish a new CRL (REASON: ${Object.keys(REVOCATION_REASONS).join(', ')}).
  pki crl          Publish a new CRL now and print it.
  pki root | pki chain
                   Print the root certificate, or the chain (issuing CA then root), as PEM.
  pki show SERIAL  Print one issued certificate as PEM.`;

const COMMAND_HELP: Record<string, string> = {
  init: 'Usage: hub pki init [--force]\n\nCreates the root CA and the issuing CA it signs, their encrypted keys and the first CRLs in the database (every replica uses them).\nA CA folder DATA_DIR/pki of an earlier version is imported by any other command or by the hub’s first start.\n--force replaces an existing CA: every certificate it issued stops verifying.',
  issue:
    'Usage: hub pki issue --profile PROFILE --cn NAME [--org ORG] [--unit UNIT] [--agency CODE] [--province P] [--dns NAME,...] [--public-key FILE] [--out FILE]\n\n' +
    `PROFILE: ${CERTIFICATE_PROFILES.filter((p) => !p.endsWith('-ca')).join(', ')}.\n` +
    '  organisation-signing  an agency’s signature (sealed copies, results); --agency puts its e-identifier code in organizationIdentifier\n' +
    '  person-signing        the authorised person’s signature\n' +
    '  tls-server            needs --dns (DNS names or IP addresses)\n' +
    '  tls-client            a system calling the hub with mTLS\n' +
    'Without --public-key (a PEM RSA public key) the hub generates the key pair and keeps the private key encrypted.\n' +
    '--out writes the certificate to a file; it is printed otherwise.',
  list: 'Usage: hub pki list [--json]\n\nThe issued certificates, newest first: serial, profile, status, validity, subject.',
  revoke: `Usage: hub pki revoke SERIAL [--reason REASON]\n\nREASON: ${Object.keys(REVOCATION_REASONS).join(', ')} (default unspecified). A new CRL is published at once.`,
  crl: 'Usage: hub pki crl\n\nPublishes a new CRL (issuing CA then root) and prints it.',
  root: 'Usage: hub pki root\n\nPrints the root certificate (the trust anchor relying parties install) as PEM.',
  chain: 'Usage: hub pki chain\n\nPrints the issuing CA then the root as PEM.',
  show: 'Usage: hub pki show SERIAL\n\nPrints one issued certificate as PEM.',
};

export interface PkiIo {
  print(text: string): void;
}

/** The CA of the database the hub runs on: what `hub pki` works with (opened only when a command needs it). */
export type PkiStoreOpener = <T>(work: (store: CertificateStore) => Promise<T>) => Promise<T>;

/** `hub pki …`: the operator's commands for the hub's certificate authority, in the database every replica shares. */
export async function runPkiCommand(argv: string[], settings: AuthoritySettings, withStore: PkiStoreOpener, io: PkiIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      profile: { type: 'string' },
      cn: { type: 'string' },
      org: { type: 'string' },
      unit: { type: 'string' },
      agency: { type: 'string' },
      province: { type: 'string' },
      dns: { type: 'string' },
      'public-key': { type: 'string' },
      out: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const [action, target] = positionals;
  if (!action || (values.help && !COMMAND_HELP[action])) {
    io.print(`Usage: hub pki <command>\n\n${PKI_HELP}`);
    return;
  }
  if (values.help) {
    io.print(COMMAND_HELP[action]!);
    return;
  }
  if (!COMMAND_HELP[action]) fail(`hub pki: unknown command "${action}". Run hub pki --help.`);
  const needSerial = () => target ?? fail(`hub pki ${action}: give the certificate's serial number (see hub pki list).`);
  if (action === 'issue' && !values.profile) fail('hub pki issue: --profile is required (see --help).');
  if (action === 'issue' && !values.cn) fail('hub pki issue: --cn (the common name) is required.');
  if ((action === 'revoke' || action === 'show') && !target) needSerial();
  await withStore(async (store) => {
    if (action === 'init') {
      if (((await store.authority()) || CertificateAuthority.exists(settings.dir)) && !values.force) {
        throw new InvalidInputError(
          'A certificate authority already exists; pass --force to replace it (every certificate it issued stops verifying).',
          { reason: 'PKI.ALREADY_INITIALISED' },
        );
      }
      await store.clear();
      const { shared } = await SharedCertificateAuthority.open(store, settings, undefined, { fresh: true });
      io.print(`certificate authority created in the database\n${shared.authority.rootPem()}`);
      return;
    }
    const { shared } = await SharedCertificateAuthority.open(store, settings, undefined, { create: false });
    await runOn(shared);
    await shared.stop();
  });

  async function runOn(shared: SharedCertificateAuthority): Promise<void> {
    switch (action) {
      case 'issue': {
        const profile = values.profile as CertificateProfile;
        const { record, certificatePem } = await shared.issue({
          profile,
          subject: {
            commonName: values.cn!,
            organisation: values.org,
            organisationalUnit: values.unit,
            organisationIdentifier: values.agency,
            province: values.province,
          },
          ...(values.dns
            ? {
                subjectAltNames: values.dns
                  .split(',')
                  .map((n) => n.trim())
                  .filter(Boolean),
              }
            : {}),
          ...(values['public-key'] ? { publicKeyPem: readFileSync(values['public-key'], 'utf8') } : {}),
        });
        if (values.out) writeFileSync(values.out, certificatePem);
        io.print(
          `issued ${record.profile} certificate ${record.serialNumber}\n  subject ${record.subject}\n  valid ${record.notBefore} to ${record.notAfter}` +
            (values.out ? `\n  written to ${values.out}` : `\n${certificatePem}`),
        );
        return;
      }
      case 'list': {
        const records = await shared.list();
        if (values.json) {
          io.print(JSON.stringify(records, null, 2));
          return;
        }
        if (records.length === 0) {
          io.print('no certificates issued yet');
          return;
        }
        for (const r of records) {
          io.print(
            `${r.serialNumber}  ${r.profile.padEnd(20)} ${r.status.padEnd(7)} ${r.notBefore.slice(0, 10)}..${r.notAfter.slice(0, 10)}  ${r.subject}`,
          );
        }
        return;
      }
      case 'revoke': {
        const reason = (values.reason ?? 'unspecified') as RevocationReason;
        const record = await shared.revoke(needSerial(), reason);
        io.print(`revoked ${record.serialNumber} (${record.reason}) at ${record.revokedAt}; CRL published`);
        return;
      }
      case 'crl':
        io.print((await shared.publishCrl()).trimEnd());
        return;
      case 'root':
        io.print(shared.authority.rootPem().trimEnd());
        return;
      case 'chain':
        io.print(shared.authority.chainPem().trimEnd());
        return;
      case 'show':
        await shared.refresh();
        io.print(shared.authority.certificatePem(needSerial()).trimEnd());
        return;
    }
  }
}

function fail(message: string): never {
  throw new InvalidInputError(message, { reason: 'CLI.USAGE' });
}
