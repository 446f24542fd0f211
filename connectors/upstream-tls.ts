import { Agent, fetch as undiciFetch } from 'undici';

/**
 * What the hub presents to upstreams reached over https, and which server certificates it trusts:
 * read and checked in certs/ (tls-material.ts), handed to undici here as they are.
 */
export interface UpstreamTlsSettings {
  /** The client certificate (PEM, followed by its issuing chain) and its private key (PEM). */
  clientCertificatePem: string;
  clientKeyPem: string;
  /** CAs trusted for the upstreams' server certificates (PEM, concatenated). */
  trustedCaPem: string;
}

/** The fetch every connector uses: plain fetch for http, mutual TLS for https. */
export type UpstreamFetch = typeof globalThis.fetch;

export interface UpstreamHttp {
  fetch: UpstreamFetch;
  /** Uses other TLS settings from the next request on (a renewed certificate); requests under way finish as they were. */
  replace(tls: UpstreamTlsSettings | undefined): void;
  close(): Promise<void>;
}

/** Certificate errors of a TLS handshake as an operator would put them. */
const TLS_ERRORS: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its server certificate does not chain to a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its server certificate does not chain to a trusted CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'its server certificate chains to a CA that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its server certificate is self-signed',
  CERT_HAS_EXPIRED: 'its server certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its server certificate does not name this host',
};

/**
 * undici says "fetch failed" and hides the reason in `cause`: lift a TLS reason into the message so
 * that the warning in the log tells an operator what to change.
 */
function explainFailure(error: unknown, url: string): unknown {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (!(error instanceof TypeError) || !cause?.code) return error;
  const reason = TLS_ERRORS[cause.code];
  if (!reason) return new TypeError(`${error.message}: ${cause.message ?? cause.code}`, { cause });
  return new TypeError(`TLS with ${new URL(url).host} failed: ${reason} (${cause.code}; see CONNECTOR_TLS_CA_FILE)`, { cause });
}

/**
 * One HTTP client for every connector: keep-alive connections, and for https upstreams the hub's
 * client certificate (sent when the server asks for one, as registries behind mutual TLS do) and
 * the trusted CAs. Without settings it is Node's fetch with Node's trust store.
 */
export function createUpstreamHttp(tls: UpstreamTlsSettings | undefined): UpstreamHttp {
  const agentFor = (settings: UpstreamTlsSettings | undefined) =>
    new Agent(
      settings
        ? {
            connect: {
              cert: settings.clientCertificatePem,
              key: settings.clientKeyPem,
              ca: settings.trustedCaPem,
              rejectUnauthorized: true,
            },
          }
        : {},
    );
  let agent = agentFor(tls);
  const upstreamFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      return await undiciFetch(input as Parameters<typeof undiciFetch>[0], {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      });
    } catch (error) {
      throw explainFailure(error, url);
    }
  }) as UpstreamFetch;
  return {
    fetch: upstreamFetch,
    replace(settings) {
      const previous = agent;
      agent = agentFor(settings);
      // close() lets requests under way finish, then drops the old connections.
      void previous.close();
    },
    close: () => agent.close(),
  };
}
