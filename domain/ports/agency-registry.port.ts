/** The agency registry (the `agency` table) as a signer sees it: whether an agency exists, and its name. */
export interface AgencyRegistry {
  /** The registered agency with this code, or null when the hub does not know it. */
  find(code: string): Promise<{ code: string; name: string } | null>;
}
