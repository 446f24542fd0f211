/**
 * A procedure as the hub works with it: the national catalogue record made operational (each
 * required paper has a code, the registry that can supply it, and the steps that resolve it).
 * Kept as data (reference/catalogue/), so an agency updates it without a release.
 */
export type ProcedureLevel = 'commune' | 'province';

/** How a paper is handed in: the original, a plain copy, a certified copy, or shown and handed back. */
export const PAPER_KINDS = ['original', 'copy', 'certified-copy', 'present'] as const;
export type PaperKind = (typeof PAPER_KINDS)[number];

/** National databases the hub can read instead of asking the citizen for a paper (once-only). */
export const REGISTRY_SOURCES = ['population', 'business', 'land'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

export interface ComponentRequirement {
  /** Stable within the procedure: `C01`, `C02`, ... (the requirement code clients send). */
  code: string;
  /** As the catalogue words it (Vietnamese). */
  name: string;
  kind: PaperKind;
  quantity: number;
  /** false: needed only in the situation its name describes ("Trường hợp ..."). */
  required: boolean;
  /** National document-type code when known (e.g. a result code `KQ.G15.000031`). */
  documentTypeCode: string | null;
  /** The registry that holds this information, so the paper need not be brought. */
  registrySource: RegistrySource | null;
  /**
   * Document types (reference/catalogue/document-types.json) a held document may have to satisfy
   * this paper; empty for papers made for the dossier (forms, applications). Always present in
   * validated catalogue data; optional here only so hand-written fixtures need not spell it out.
   */
  acceptedDocumentTypes?: readonly string[];
  /**
   * The fact the registry confirms for this paper, as the registry names it (population:
   * `currentResidence`, `maritalStatus`, ...); without it, the registry's default fact
   * (domain/reception/registry-facts.ts).
   */
  registryAttribute?: string | null;
}

export type ResolutionRule =
  | { kind: 'working-days'; days: number }
  /** Same day if received before `cutoff` (HH:MM), else by `dueNextDay` on the next working day. */
  | { kind: 'same-day'; cutoff: string; dueSameDay: string; dueNextDay: string };

/** Who takes a step: the desk that received the dossier, or an agency with a role in the province. */
export type StepAgency = { kind: 'receiving-agency' } | { kind: 'role'; role: string };

export interface ProcedureStep {
  /** `S1`, `S2`, ... in order. */
  code: string;
  /** What happens (Vietnamese), e.g. "Thẩm định hồ sơ". */
  name: string;
  agency: StepAgency;
  /** Share of the resolution time this step may take, in working days (0 for the same day). */
  workingDays: number;
}

export interface Fee {
  name: string;
  /** null when set by the provincial council (varies by province). */
  amountVnd: number | null;
  note: string | null;
}

export interface ProcedureDefinition {
  code: string;
  name: string;
  field: string;
  level: ProcedureLevel;
  resolution: ResolutionRule;
  /** Where the resolution time is not confirmed by the national catalogue. */
  resolutionNote: string | null;
  fees: Fee[];
  components: ComponentRequirement[];
  steps: ProcedureStep[];
  /** Several agencies resolve it together (một cửa liên thông). */
  interAgency: boolean;
  /** Any desk may receive it, wherever the applicant lives (the data is in national databases). */
  boundaryFree: boolean;
  /** What the applicant receives (Vietnamese). */
  results: string[];
  /** Which applicants it is for. */
  applicantKinds: ('CITIZEN' | 'BUSINESS')[];
  /**
   * The document type of the result it issues, which enters the applicant's vault when signed; null
   * when the result is not a reusable document (a database update, a certified copy of any paper).
   * Always present in validated catalogue data.
   */
  resultDocumentType?: string | null;
}

/** Fields whose procedures are about one piece of land (registration, changes, building permits). */
const LAND_FIELDS: ReadonlySet<string> = new Set(['Đất đai', 'Hoạt động xây dựng']);

/**
 * Whether a dossier of this procedure may name the land parcel it concerns: land and building
 * procedures, and any whose papers include one the land registry holds (a land use certificate in a
 * certified transaction, for instance).
 */
export function concernsLandParcel(procedure: Pick<ProcedureDefinition, 'field' | 'components'>): boolean {
  return LAND_FIELDS.has(procedure.field) || procedure.components.some((component) => component.registrySource === 'land');
}
