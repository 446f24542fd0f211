/**
 * Wire types of the national public-service portal (DVCQG) API, as described in ./openapi.yaml.
 * Dossier fields keep the portal's Vietnamese names: they are its protocol.
 */
import { fromVietnamLocal, formatPortalTimestamp } from '../../domain/time/vietnam-time';

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, e.g. `20251002143000`. */
export type PortalTimestamp = string;

/** TrangThaiHoSo: the national dossier status codes 1–10 (see domain/dossier/dossier-status.ts). */
export type NationalStatusCode = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/** HinhThuc: how the dossier was submitted. 1 at a desk, 2 online, 3 by public postal service. */
export type SubmissionChannelCode = 1 | 2 | 3;

/** LoaiDoiTuong: who the applicant is. 1 a citizen, 2 an enterprise or organisation. */
export type ApplicantKindCode = 1 | 2;

export interface SubmittedPaper {
  /** Component code of the procedure (`C01`, ...), when the paper is one the catalogue lists. */
  MaThanhPhan?: string;
  TenTaiLieu: string;
  SoLuong?: number;
  /** Taken from a national database or an earlier dossier instead of being handed in. */
  DuocTaiSuDung?: boolean;
}

export interface FeeLine {
  TenLePhi: string;
  /** Whole đồng. */
  SoTien: number;
  DaThanhToan?: boolean;
}

export interface SupplementRequest {
  NgayYeuCau: PortalTimestamp;
  NoiDungYeuCau: string;
  /** When the applicant handed the supplement in; absent while it is awaited. */
  NgayBoSung?: PortalTimestamp | null;
}

export interface ResultPaper {
  TenGiayTo: string;
  /** Code of the result document in the national data store, when it has one. */
  MaGiayToKetQua?: string | null;
  DuocSoHoa?: boolean;
}

/** The dossier as the portal holds it (`PUT /v1/dossiers/{MaHoSo}`). */
export interface PortalDossierRecord {
  MaHoSo: string;
  MaTTHC: string;
  MaLinhVuc: string;
  /** Agency e-identifier code of the receiving desk. */
  MaDonVi: string;
  /** Name of the applicant (person or organisation). */
  ChuHoSo: string;
  LoaiDoiTuong: ApplicantKindCode;
  NgayTiepNhan: PortalTimestamp;
  /** Promised return time; null until an online registration is accepted. */
  NgayHenTra: PortalTimestamp | null;
  /** Actual return time; set exactly when TrangThaiHoSo is 10. */
  NgayTra: PortalTimestamp | null;
  HinhThuc: SubmissionChannelCode;
  TrangThaiHoSo: NationalStatusCode;
  TaiLieuNop: SubmittedPaper[];
  DanhSachLePhi: FeeLine[];
  DanhSachHoSoBoSung: SupplementRequest[];
  DanhSachGiayToKetQua: ResultPaper[];
}

/** One line of the processing history (`POST /v1/dossiers/{MaHoSo}/progress`). */
export interface PortalProgressEntry {
  /** Who handled the step (officer or unit). */
  NguoiXuLy: string;
  ThoiDiemXuLy: PortalTimestamp;
  NoiDungXuLy: string;
  /** The dossier's national status after this step. */
  TrangThai: NationalStatusCode;
  /** When this step is due by the rules; null when none applies. */
  NgayKetThucTheoQuyDinh: PortalTimestamp | null;
}

export interface PortalSyncReceipt {
  MaHoSo: string;
  KetQua: 'OK';
  /** When the portal took the request. */
  ThoiDiemNhan: PortalTimestamp;
}

/** What the portal holds for a dossier (`GET /v1/dossiers/{MaHoSo}`). */
export interface PortalSyncedDossier extends PortalDossierRecord {
  QuaTrinhXuLy: PortalProgressEntry[];
  /** First synchronisation. */
  ThoiDiemNhan: PortalTimestamp;
  /** Last change (record or progress). */
  ThoiDiemCapNhat: PortalTimestamp;
}

export type ResolutionRule =
  { kind: 'working-days'; days: number } | { kind: 'same-day'; cutoff: string; dueSameDay: string; dueNextDay: string };

export interface CatalogueFee {
  name: string;
  /** null where the provincial council sets the amount. */
  amountVnd: number | null;
  note: string | null;
}

/** One procedure of the national catalogue (`GET /v1/procedures`). */
export interface CatalogueProcedure {
  code: string;
  name: string;
  field: string;
  /** The field's code: what a dossier's `MaLinhVuc` must carry. */
  fieldCode: string;
  level: 'commune' | 'province';
  resolution: ResolutionRule;
  fees: CatalogueFee[];
  updatedAt: PortalTimestamp;
}

export interface ProcedurePage {
  items: CatalogueProcedure[];
  /** 1-based. */
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
}

/** A citizen's account on the portal (`GET /v1/citizen-accounts/{personalId}`). */
export interface CitizenAccount {
  personalId: string;
  /** 1: self-registered; 2: identified (chip ID card or VNeID level 2). */
  accountLevel: 1 | 2;
  linkedVNeID: boolean;
  email?: string;
  phone?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds. */
  expires_in: number;
  scope: string;
}

/** RFC 6749 §5.2 error of the token endpoint. */
export interface OAuthErrorResponse {
  error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';
  error_description?: string;
}

/** Scopes a client may hold; a request without `scope` gets all of them. */
export const PORTAL_SCOPES = ['catalogue.read', 'dossiers.read', 'dossiers.write', 'accounts.read'] as const;
export type PortalScope = (typeof PORTAL_SCOPES)[number];

export const PROBLEM_CODES = [
  'INVALID_REQUEST',
  'INVALID_PERSONAL_ID',
  'TOKEN_REQUIRED',
  'INVALID_TOKEN',
  'INSUFFICIENT_SCOPE',
  'NOT_FOUND',
  'DOSSIER_NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'IMPLAUSIBLE_TRANSITION',
  'IMMUTABLE_FIELD',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface InvalidField {
  /** Path of the field, e.g. `NgayHenTra` or `TaiLieuNop[2].SoLuong`. */
  name: string;
  reason: string;
}

/** RFC 9457 problem details, served as application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  /** 400 on a dossier or progress body: every field that is wrong. */
  invalidFields?: InvalidField[];
  /** 409 on a status change: the status the portal holds and the one sent. */
  currentStatus?: NationalStatusCode;
  requestedStatus?: NationalStatusCode;
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** The instant of a `yyyyMMddHHmmss` Vietnam timestamp, or undefined when it is not a real time. */
export function parsePortalTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const instant = fromVietnamLocal(year, month, day, hour, minute, second);
  // Date.UTC rolls 31 February over to March: a round trip catches it.
  return formatPortalTimestamp(instant) === value ? instant : undefined;
}
