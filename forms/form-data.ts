import { z } from 'zod';

/**
 * The data each form is rendered from. The schemas check a caller's data before rendering and tell
 * the template validator which `{{paths}}` exist, so a template cannot bind to a field that is not there.
 * Times are instants (`Date`) and are printed in Vietnam time; amounts are whole đồng.
 */

const text = z.string().trim().min(1);
const count = z.number().int().nonnegative();

export const FORM_IDS = ['01', '02', '03', '04', '05', '06'] as const;
export type FormId = (typeof FORM_IDS)[number];

export const agencySchema = z
  .object({
    /** Governing body, top line of the masthead, e.g. `UBND THÀNH PHỐ HUẾ`. */
    parentName: text.optional(),
    /** Issuing agency, e.g. `UBND PHƯỜNG PHÚ XUÂN`. */
    name: text,
    /** The reception desk, e.g. `Bộ phận Một cửa phường Phú Xuân`. */
    deskName: text.optional(),
    phone: text.optional(),
  })
  .strict();

export const applicantSchema = z
  .object({
    name: text,
    address: text.optional(),
    phone: text.optional(),
    email: text.optional(),
  })
  .strict();

export const procedureSchema = z
  .object({
    /** National catalogue code, e.g. `1.001193`. */
    code: text.optional(),
    name: text,
    /** As the catalogue words it, e.g. `03 ngày làm việc`. */
    resolutionTime: text.optional(),
  })
  .strict();

export const officerSchema = z
  .object({
    name: text,
    position: text.optional(),
  })
  .strict();

/** Fields every form shares: who issues it, where and when, and its number in the agency's book. */
const common = {
  agency: agencySchema,
  /** Place on the place-and-date line, e.g. `Phú Xuân`. */
  place: text,
  /** Date on the place-and-date line; defaults to the moment of rendering. */
  issuedAt: z.date().optional(),
  /** Document number before the form's suffix, e.g. `125` in `Số: 125/TNHS`. */
  documentNumber: text.optional(),
};

const dossierWithCode = z.object({ code: text }).strict();
const dossierMaybeCode = z.object({ code: text.optional() }).strict();

export const PAPER_KINDS = ['original', 'copy', 'certified copy'] as const;
export type PaperKind = (typeof PAPER_KINDS)[number];

export const receiptDataSchema = z
  .object({
    ...common,
    dossier: dossierWithCode,
    applicant: applicantSchema,
    procedure: procedureSchema,
    papers: z.array(z.object({ name: text, kind: z.enum(PAPER_KINDS), quantity: count.min(1) }).strict()).min(1),
    /** Number of sets (bộ) of the dossier handed in. */
    sets: count.min(1),
    receivedAt: z.date(),
    dueAt: z.date(),
    returnPlace: text,
    fees: z.array(z.object({ name: text, amountVnd: count }).strict()),
    register: z.object({ book: text, sequence: count.min(1) }).strict(),
    receivingOfficer: officerSchema,
  })
  .strict();

export const supplementRequestDataSchema = z
  .object({
    ...common,
    dossier: dossierMaybeCode,
    applicant: applicantSchema,
    procedure: procedureSchema,
    receivedAt: z.date().optional(),
    /** Everything missing, all at once: the applicant is asked only once. */
    missingItems: z.array(z.object({ item: text, reason: text }).strict()).min(1),
    /** Who answers questions while the applicant completes the dossier. */
    contact: z.object({ name: text, phone: text.optional() }).strict(),
    guidingOfficer: officerSchema,
  })
  .strict();

export const refusalDataSchema = z
  .object({
    ...common,
    dossier: dossierMaybeCode,
    applicant: applicantSchema,
    procedure: procedureSchema,
    receivedAt: z.date().optional(),
    /** The legal provisions the refusal rests on. */
    legalBasis: z.array(text).min(1),
    reasons: z.array(text).min(1),
    receivingOfficer: officerSchema,
  })
  .strict();

export const apologyDataSchema = z
  .object({
    ...common,
    dossier: dossierWithCode,
    applicant: applicantSchema,
    procedure: procedureSchema,
    receivedAt: z.date(),
    originalDueAt: z.date(),
    newDueAt: z.date(),
    reason: text,
    /** The head of the agency (or deputy) who signs the apology. */
    signer: z.object({ position: text, name: text }).strict(),
  })
  .strict();

export const STEP_RESULTS = ['early', 'on-time', 'late'] as const;
export type StepResult = (typeof STEP_RESULTS)[number];

const party = z.object({ agency: text, officer: text.optional() }).strict();

export const controlSheetDataSchema = z
  .object({
    ...common,
    dossier: dossierWithCode,
    applicant: applicantSchema,
    procedure: procedureSchema,
    receivedAt: z.date(),
    dueAt: z.date(),
    /** Body that resolves the dossier. */
    leadAgency: text,
    coordinatingAgencies: z.array(text),
    steps: z
      .array(
        z
          .object({
            from: party,
            to: party,
            handedOverAt: z.date(),
            dueAt: z.date().optional(),
            completedAt: z.date().optional(),
            result: z.enum(STEP_RESULTS).optional(),
            note: text.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const registerDataSchema = z
  .object({
    ...common,
    /** Register book number, e.g. `01/2026`. */
    book: text,
    period: z.object({ from: z.date(), to: z.date() }).strict(),
    rows: z.array(
      z
        .object({
          sequence: count.min(1),
          dossierCode: text,
          procedureName: text,
          sets: count.min(1),
          applicantName: text,
          applicantAddress: text.optional(),
          applicantPhone: text.optional(),
          leadAgency: text.optional(),
          receivedAt: z.date(),
          dueAt: z.date(),
          transferredAt: z.date().optional(),
          resultReceivedAt: z.date().optional(),
          returnedAt: z.date().optional(),
          note: text.optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export type ReceiptData = z.infer<typeof receiptDataSchema>;
/** Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export type SupplementRequestData = z.infer<typeof supplementRequestDataSchema>;
/** Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export type RefusalData = z.infer<typeof refusalDataSchema>;
/** Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
export type ApologyData = z.infer<typeof apologyDataSchema>;
/** Form 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export type ControlSheetData = z.infer<typeof controlSheetDataSchema>;
/** Form 06: Sổ theo dõi hồ sơ. */
export type RegisterData = z.infer<typeof registerDataSchema>;

export interface FormDataById {
  '01': ReceiptData;
  '02': SupplementRequestData;
  '03': RefusalData;
  '04': ApologyData;
  '05': ControlSheetData;
  '06': RegisterData;
}

export type FormData = FormDataById[FormId];

export const FORM_DATA_SCHEMAS: { readonly [F in FormId]: z.ZodType<FormDataById[F]> } = {
  '01': receiptDataSchema,
  '02': supplementRequestDataSchema,
  '03': refusalDataSchema,
  '04': apologyDataSchema,
  '05': controlSheetDataSchema,
  '06': registerDataSchema,
};

export function isFormId(value: unknown): value is FormId {
  return typeof value === 'string' && (FORM_IDS as readonly string[]).includes(value);
}
