import { DOSSIER_STATUSES, DOSSIER_STATUS_NAMES, nationalStatusCode, type DossierStatus } from '../../domain/dossier/dossier-status';
import { InvalidInputError } from '../../domain/errors';
import type { ApplicantKind } from '../../domain/identifiers/applicant-id';
import { formatPortalTimestamp } from '../../domain/time/vietnam-time';
import type {
  ApplicantKindCode,
  NationalStatusCode,
  PortalDossierRecord,
  PortalProgressEntry,
  PortalTimestamp,
  SubmissionChannelCode,
} from './portal.types';

/**
 * Pure mapping from what the hub knows about a dossier (the data of its `dossier.*` events plus a
 * few fields the sync worker reads from the hub) to the portal's records. No I/O.
 */

/** How the hub received a dossier (the dossier's `channel`). */
export type ReceptionChannel = 'DESK' | 'POST' | 'ONLINE';

/**
 * HinhThuc by reception channel: the order in which the national catalogue lists the ways to submit
 * (trực tiếp, trực tuyến, dịch vụ bưu chính). The portal's own numbering is unconfirmed, so it can
 * be overridden per deployment (`channelCodes`).
 */
export const DEFAULT_CHANNEL_CODES: Readonly<Record<ReceptionChannel, SubmissionChannelCode>> = Object.freeze({
  DESK: 1,
  ONLINE: 2,
  POST: 3,
});

/** LoaiDoiTuong by applicant kind: 1 citizen, 2 enterprise or organisation (overridable, unconfirmed). */
export const DEFAULT_APPLICANT_KIND_CODES: Readonly<Record<ApplicantKind, ApplicantKindCode>> = Object.freeze({
  CITIZEN: 1,
  BUSINESS: 2,
});

export interface PortalMappingOptions {
  channelCodes?: Partial<Record<ReceptionChannel, SubmissionChannelCode>>;
  applicantKindCodes?: Partial<Record<ApplicantKind, ApplicantKindCode>>;
}

/** The fields of a `dossier.*` event's data this mapper reads (events carry no personal data). */
export interface DossierEventData {
  code: string;
  procedureCode: string;
  agencyCode: string;
  currentAgencyCode: string | null;
  channel: ReceptionChannel;
  applicantKind: ApplicantKind;
  status: DossierStatus;
  /** ISO 8601. */
  receivedAt: string;
  dueAt: string | null;
  /** When the change happened. */
  at: string;
  action: string | null;
}

type When = Date | string;

/** What the portal needs beyond the event; the sync worker reads it from the hub (or the portal's catalogue). */
export interface PortalDossierExtras {
  /** ChuHoSo: the applicant's name (personal data: read with the sync's legal basis, never logged). */
  applicantName: string;
  /** MaLinhVuc: the `fieldCode` the portal's catalogue gives the procedure. */
  fieldCode: string;
  /** NgayTra; defaults to the event time when the status is RETURNED. */
  returnedAt?: When | null;
  papers?: readonly { code?: string | null; name: string; quantity?: number; reused?: boolean }[];
  fees?: readonly { name: string; amountVnd: number; paid?: boolean }[];
  supplementRequests?: readonly { requestedAt: When; content: string; suppliedAt?: When | null }[];
  results?: readonly { name: string; documentCode?: string | null; digitized?: boolean }[];
}

export interface PortalProgressExtras {
  /** NguoiXuLy; defaults to the code of the agency holding the dossier. */
  handledBy?: string;
  /** NoiDungXuLy; defaults to a description of the event's action. */
  content?: string;
  /** NgayKetThucTheoQuyDinh; defaults to the step's due time in the event, else the dossier's. */
  dueAt?: When | null;
}

const CHANNELS: readonly ReceptionChannel[] = ['DESK', 'POST', 'ONLINE'];
const APPLICANT_KINDS: readonly ApplicantKind[] = ['CITIZEN', 'BUSINESS'];

function invalid(problems: string[]): InvalidInputError {
  return new InvalidInputError(`The dossier event cannot be sent to the national portal: ${problems.join('; ')}.`, {
    reason: 'PORTAL_SYNC.INVALID_EVENT',
    details: { problems },
  });
}

function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Reads and checks the event data; lists every missing or malformed field at once. */
export function readDossierEvent(data: Readonly<Record<string, unknown>>): DossierEventData {
  const problems: string[] = [];
  const text = (key: string): string => {
    const value = data[key];
    if (typeof value !== 'string' || value.trim() === '') problems.push(`"${key}" is missing`);
    return typeof value === 'string' ? value : '';
  };
  const code = text('code');
  const procedureCode = text('procedureCode');
  const agencyCode = text('agencyCode');
  const channel = data.channel as ReceptionChannel;
  if (!CHANNELS.includes(channel)) problems.push(`"channel" must be one of ${CHANNELS.join(', ')}`);
  const applicantKind = data.applicantKind as ApplicantKind;
  if (!APPLICANT_KINDS.includes(applicantKind)) problems.push(`"applicantKind" must be one of ${APPLICANT_KINDS.join(', ')}`);

  // The status name is authoritative; the national code in the event must agree with it.
  const status = data.status as DossierStatus | undefined;
  const national = data.nationalStatusCode;
  if (status === undefined) problems.push('"status" is missing');
  else if (!DOSSIER_STATUS_NAMES.includes(status)) problems.push('"status" is not a dossier status');
  else if (national !== undefined && national !== null && national !== DOSSIER_STATUSES[status].nationalCode) {
    problems.push(`"nationalStatusCode" ${String(national)} does not match status ${status}`);
  }

  const instant = (key: string, nullable: boolean): string | null => {
    const value = data[key];
    if ((value === null || value === undefined) && nullable) return null;
    if (!isIsoInstant(value)) problems.push(`"${key}" is not an ISO 8601 time`);
    return typeof value === 'string' ? value : null;
  };
  const receivedAt = instant('receivedAt', false) ?? '';
  const dueAt = instant('dueAt', true);
  const at = instant('at', false) ?? '';
  const action = typeof data.action === 'string' ? data.action : null;
  const currentAgencyCode = typeof data.currentAgencyCode === 'string' && data.currentAgencyCode ? data.currentAgencyCode : null;

  if (problems.length > 0) throw invalid(problems);
  return {
    code,
    procedureCode,
    agencyCode,
    currentAgencyCode,
    channel,
    applicantKind,
    status: status as DossierStatus,
    receivedAt,
    dueAt,
    at,
    action,
  };
}

function timestamp(value: When, field: string): PortalTimestamp {
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) throw invalid([`"${field}" is not a valid time`]);
  return formatPortalTimestamp(instant);
}

function optionalTimestamp(value: When | null | undefined, field: string): PortalTimestamp | null {
  return value === null || value === undefined ? null : timestamp(value, field);
}

/** The national code (TrangThaiHoSo) of a hub status. */
export function portalStatusOf(status: DossierStatus): NationalStatusCode {
  return nationalStatusCode(status) as NationalStatusCode;
}

/** The portal's dossier record from an event's data and the extra fields the event does not carry. */
export function toPortalDossier(
  eventData: Readonly<Record<string, unknown>>,
  extras: PortalDossierExtras,
  options: PortalMappingOptions = {},
): PortalDossierRecord {
  const event = readDossierEvent(eventData);
  const missing = [
    ...(extras.applicantName?.trim() ? [] : ['"applicantName" is missing']),
    ...(extras.fieldCode?.trim() ? [] : ['"fieldCode" is missing']),
  ];
  if (missing.length > 0) throw invalid(missing);
  const channelCodes = { ...DEFAULT_CHANNEL_CODES, ...options.channelCodes };
  const kindCodes = { ...DEFAULT_APPLICANT_KIND_CODES, ...options.applicantKindCodes };
  const returned = event.status === 'RETURNED';
  return {
    MaHoSo: event.code,
    MaTTHC: event.procedureCode,
    MaLinhVuc: extras.fieldCode.trim(),
    MaDonVi: event.agencyCode,
    ChuHoSo: extras.applicantName.trim(),
    LoaiDoiTuong: kindCodes[event.applicantKind],
    NgayTiepNhan: timestamp(event.receivedAt, 'receivedAt'),
    NgayHenTra: optionalTimestamp(event.dueAt, 'dueAt'),
    // The portal takes NgayTra only with status 10; the return event's time is the return time.
    NgayTra: returned ? timestamp(extras.returnedAt ?? event.at, 'returnedAt') : null,
    HinhThuc: channelCodes[event.channel],
    TrangThaiHoSo: portalStatusOf(event.status),
    TaiLieuNop: (extras.papers ?? []).map((paper) => ({
      ...(paper.code ? { MaThanhPhan: paper.code } : {}),
      TenTaiLieu: paper.name,
      ...(paper.quantity !== undefined ? { SoLuong: paper.quantity } : {}),
      ...(paper.reused !== undefined ? { DuocTaiSuDung: paper.reused } : {}),
    })),
    DanhSachLePhi: (extras.fees ?? []).map((fee) => ({
      TenLePhi: fee.name,
      SoTien: fee.amountVnd,
      ...(fee.paid !== undefined ? { DaThanhToan: fee.paid } : {}),
    })),
    DanhSachHoSoBoSung: (extras.supplementRequests ?? []).map((request, index) => ({
      NgayYeuCau: timestamp(request.requestedAt, `supplementRequests[${index}].requestedAt`),
      NoiDungYeuCau: request.content,
      NgayBoSung: optionalTimestamp(request.suppliedAt, `supplementRequests[${index}].suppliedAt`),
    })),
    DanhSachGiayToKetQua: (extras.results ?? []).map((result) => ({
      TenGiayTo: result.name,
      MaGiayToKetQua: result.documentCode ?? null,
      ...(result.digitized !== undefined ? { DuocSoHoa: result.digitized } : {}),
    })),
  };
}

/** NoiDungXuLy of each hub action, in the words the portal shows the applicant. */
const ACTION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  RECEIVE: 'Tiếp nhận hồ sơ',
  ACCEPT_ONLINE: 'Tiếp nhận hồ sơ đăng ký trực tuyến',
  FORWARD: 'Chuyển xử lý',
  REQUEST_SUPPLEMENT: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  SUBMIT_SUPPLEMENT: 'Đã bổ sung hồ sơ',
  REQUEST_PAYMENT: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  CONFIRM_PAYMENT: 'Đã thực hiện nghĩa vụ tài chính',
  RECORD_RESULT: 'Đã có kết quả giải quyết',
  RETURN_RESULT: 'Đã trả kết quả',
  REJECT: 'Từ chối tiếp nhận, giải quyết hồ sơ',
  WITHDRAW: 'Rút hồ sơ theo yêu cầu',
  STOP: 'Dừng xử lý hồ sơ',
};

function describe(event: DossierEventData, data: Readonly<Record<string, unknown>>): string {
  const reason = typeof data.reason === 'string' && data.reason.trim() ? data.reason.trim() : undefined;
  if (event.action === 'UPDATE' || event.action === null) {
    if (typeof data.result === 'string') {
      return typeof data.stepCode === 'string'
        ? `Hoàn thành bước ${data.stepCode}: ${data.result}`
        : `Hoàn thành bước xử lý: ${data.result}`;
    }
    if (typeof data.newDueAt === 'string') return `Gia hạn thời gian giải quyết${reason ? `: ${reason}` : ''}`;
    return 'Cập nhật hồ sơ';
  }
  const base = ACTION_DESCRIPTIONS[event.action] ?? event.action;
  if (event.action === 'FORWARD' && typeof data.toAgencyCode === 'string') return `${base} đến ${data.toAgencyCode}`;
  return reason ? `${base}: ${reason}` : base;
}

/** One progress line (processing history) from an event's data. */
export function toPortalProgress(eventData: Readonly<Record<string, unknown>>, extras: PortalProgressExtras = {}): PortalProgressEntry {
  const event = readDossierEvent(eventData);
  const stepDueAt = isIsoInstant(eventData.stepDueAt) ? eventData.stepDueAt : undefined;
  const dueAt = extras.dueAt !== undefined ? extras.dueAt : (stepDueAt ?? event.dueAt);
  return {
    NguoiXuLy: extras.handledBy?.trim() || event.currentAgencyCode || event.agencyCode,
    ThoiDiemXuLy: timestamp(event.at, 'at'),
    NoiDungXuLy: extras.content?.trim() || describe(event, eventData),
    TrangThai: portalStatusOf(event.status),
    NgayKetThucTheoQuyDinh: optionalTimestamp(dueAt, 'dueAt'),
  };
}
