/**
 * Who is calling. Every request has a principal: an authenticated API client, or the public.
 * Client kinds follow the hub's users: other government systems, officers' front ends, portals and
 * the Government's monitoring centre.
 */
export const CLIENT_KINDS = ['AGENCY_SYSTEM', 'OFFICER_APP', 'PORTAL', 'MONITOR'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Scopes a client may be granted; a token carries the subset it asked for. */
export const SCOPES = [
  'catalogue:read',
  'dossier:read',
  'dossier:write',
  'dossier:submit',
  'personal-data:read',
  'statistics:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface ClientPrincipal {
  kind: ClientKind;
  clientId: string;
  /** The agency the client acts for (government systems and officer front ends). */
  agencyCode: string | null;
  scopes: ReadonlySet<Scope>;
}

export interface PublicPrincipal {
  kind: 'PUBLIC';
}

export type Principal = ClientPrincipal | PublicPrincipal;

export const PUBLIC: PublicPrincipal = Object.freeze({ kind: 'PUBLIC' });

/** What each kind of client may be granted at most (the registry refuses anything beyond). */
export const MAX_SCOPES: Readonly<Record<ClientKind, readonly Scope[]>> = {
  AGENCY_SYSTEM: ['catalogue:read', 'dossier:read', 'dossier:write', 'personal-data:read', 'statistics:read'],
  OFFICER_APP: ['catalogue:read', 'dossier:read', 'dossier:write', 'personal-data:read', 'statistics:read'],
  PORTAL: ['catalogue:read', 'dossier:submit', 'personal-data:read'],
  MONITOR: ['catalogue:read', 'dossier:read', 'statistics:read'],
};

/** Kinds that act for one agency and must name it. */
export const AGENCY_BOUND_KINDS: ReadonlySet<ClientKind> = new Set(['AGENCY_SYSTEM', 'OFFICER_APP']);

/**
 * An agency's own system acting for it, for tools that drive the services directly (the demo seed,
 * tests): it gets exactly what such a client may be granted, and the same policy applies.
 */
export function agencySystem(agencyCode: string, clientId: string): ClientPrincipal {
  return { kind: 'AGENCY_SYSTEM', clientId, agencyCode, scopes: new Set(MAX_SCOPES.AGENCY_SYSTEM) };
}
