import { isAgencyCode, parseDossierCode } from '../../../domain/dossier/dossier-code';
import {
  parsePortalTimestamp,
  type CatalogueProcedure,
  type InvalidField,
  type NationalStatusCode,
  type PortalDossierRecord,
  type PortalProgressEntry,
} from '../portal.types';

/**
 * The portal's checks on what it receives, as pure functions: every wrong field is listed at once,
 * and no message quotes a submitted value (they may be personal data).
 */

export type Validated<T> = { ok: true; value: T } | { ok: false; invalidFields: InvalidField[] };

const MAX_LIST = 200;

/**
 * The national process as the portal sees it: each status and the statuses that may follow it
 * directly. Final statuses (3 refused, 7 withdrawn, 8 stopped, 10 returned) have none.
 */
const NEXT_STATUSES: Readonly<Record<NationalStatusCode, readonly NationalStatusCode[]>> = {
  1: [2, 3, 7],
  2: [3, 4, 5, 7, 8],
  3: [],
  4: [3, 5, 6, 7, 8, 9],
  5: [3, 4, 7, 8],
  6: [3, 4, 7, 8],
  7: [],
  8: [],
  9: [10],
  10: [],
};

function reachableFrom(start: NationalStatusCode): Set<NationalStatusCode> {
  const seen = new Set<NationalStatusCode>([start]);
  const queue = [start];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const status of NEXT_STATUSES[next]) {
      if (!seen.has(status)) {
        seen.add(status);
        queue.push(status);
      }
    }
  }
  return seen;
}

// Updates may be coalesced or lost in between, so any status reachable later in the process is
// accepted; going back (10 → 4, 4 → 2, anything → 1) is not.
const PLAUSIBLE = new Map(
  (Object.keys(NEXT_STATUSES).map(Number) as NationalStatusCode[]).map((status) => [status, reachableFrom(status)]),
);

/** The statuses a dossier in `from` may be synchronised with next (itself included: a repeat). */
export function plausibleNextStatuses(from: NationalStatusCode): NationalStatusCode[] {
  return [...(PLAUSIBLE.get(from) ?? [])].sort((a, b) => a - b);
}

export function isPlausibleTransition(from: NationalStatusCode, to: NationalStatusCode): boolean {
  return PLAUSIBLE.get(from)?.has(to) ?? false;
}

/** Collects problems for one object; `path` prefixes the field names (`TaiLieuNop[2].`). */
class FieldChecker {
  readonly problems: InvalidField[] = [];

  constructor(
    private readonly body: Record<string, unknown>,
    private readonly path: string,
  ) {}

  add(field: string, reason: string): void {
    this.problems.push({ name: `${this.path}${field}`, reason });
  }

  onlyKnown(known: readonly string[]): void {
    for (const key of Object.keys(this.body)) {
      if (!known.includes(key)) this.add(key, `Unknown field; expected ${known.join(', ')}.`);
    }
  }

  text(field: string, max: number, options: { required?: boolean; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (options.required ?? true) this.add(field, 'Required.');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') this.add(field, 'Must be a non-empty string.');
    else if (value.length > max) this.add(field, `At most ${max} characters.`);
    else if (options.pattern && !options.pattern.test(value)) this.add(field, options.hint ?? 'Malformed.');
    else return value;
    return undefined;
  }

  integer(field: string, min: number, max: number, required = true): number | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (required) this.add(field, 'Required.');
      return undefined;
    }
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      this.add(field, `Must be an integer from ${min} to ${max}.`);
      return undefined;
    }
    return value as number;
  }

  oneOf<T extends number>(field: string, allowed: readonly T[], meaning: string): T | undefined {
    const value = this.body[field];
    if (value === undefined) this.add(field, 'Required.');
    else if (!allowed.includes(value as T)) this.add(field, `Must be ${allowed.join(', ')} (${meaning}).`);
    else return value as T;
    return undefined;
  }

  boolean(field: string): void {
    const value = this.body[field];
    if (value !== undefined && typeof value !== 'boolean') this.add(field, 'Must be true or false.');
  }

  /** A `yyyyMMddHHmmss` timestamp; `nullable` fields may also be null or left out. */
  timestamp(field: string, nullable: boolean): string | null | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (!nullable) this.add(field, 'Required.');
      return nullable ? null : undefined;
    }
    if (!parsePortalTimestamp(value)) {
      this.add(field, 'Must be a time as yyyyMMddHHmmss (Asia/Ho_Chi_Minh), e.g. 20251002143000.');
      return undefined;
    }
    return value as string;
  }

  list(field: string, each: (item: FieldChecker) => void): Record<string, unknown>[] {
    const value = this.body[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.add(field, 'Must be an array.');
      return [];
    }
    if (value.length > MAX_LIST) this.add(field, `At most ${MAX_LIST} items.`);
    value.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.add(`${field}[${index}]`, 'Must be an object.');
        return;
      }
      const checker = new FieldChecker(item as Record<string, unknown>, `${this.path}${field}[${index}].`);
      each(checker);
      this.problems.push(...checker.problems);
    });
    return value as Record<string, unknown>[];
  }
}

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

const NOT_OBJECT: InvalidField[] = [{ name: '(body)', reason: 'Must be a JSON object.' }];

const RECORD_FIELDS = [
  'MaHoSo',
  'MaTTHC',
  'MaLinhVuc',
  'MaDonVi',
  'ChuHoSo',
  'LoaiDoiTuong',
  'NgayTiepNhan',
  'NgayHenTra',
  'NgayTra',
  'HinhThuc',
  'TrangThaiHoSo',
  'TaiLieuNop',
  'DanhSachLePhi',
  'DanhSachHoSoBoSung',
  'DanhSachGiayToKetQua',
] as const;

/** Checks a dossier record sent to `PUT /v1/dossiers/{code}`; fills in defaults (null dates, empty lists). */
export function validateDossierRecord(
  body: unknown,
  pathCode: string,
  catalogue: ReadonlyMap<string, CatalogueProcedure>,
): Validated<PortalDossierRecord> {
  if (!isObject(body)) return { ok: false, invalidFields: NOT_OBJECT };
  const check = new FieldChecker(body, '');
  check.onlyKnown(RECORD_FIELDS);

  const code = check.text('MaHoSo', 60);
  if (code !== undefined) {
    if (!parseDossierCode(code)) check.add('MaHoSo', 'Not a dossier code <agency code>-YYMMDD-XXXX.');
    else if (code !== pathCode) check.add('MaHoSo', 'Differs from the dossier code in the path.');
  }
  const procedureCode = check.text('MaTTHC', 20, { pattern: /^\d\.\d{6}$/, hint: 'Not a procedure code such as 1.001193.' });
  const procedure = procedureCode === undefined ? undefined : catalogue.get(procedureCode);
  if (procedureCode !== undefined && !procedure) check.add('MaTTHC', 'Not in the national procedure catalogue.');
  const fieldCode = check.text('MaLinhVuc', 100);
  if (fieldCode !== undefined && procedure && fieldCode !== procedure.fieldCode) {
    check.add('MaLinhVuc', `Not the field of procedure ${procedure.code}; the catalogue gives ${procedure.fieldCode}.`);
  }
  const agencyCode = check.text('MaDonVi', 40);
  if (agencyCode !== undefined && !isAgencyCode(agencyCode)) check.add('MaDonVi', 'Not an agency e-identifier code such as 000.00.01.H22.');
  check.text('ChuHoSo', 300);
  check.oneOf('LoaiDoiTuong', [1, 2], '1 citizen, 2 enterprise or organisation');
  check.oneOf('HinhThuc', [1, 2, 3], '1 at a desk, 2 online, 3 by post');
  const status = check.integer('TrangThaiHoSo', 1, 10) as NationalStatusCode | undefined;

  const received = check.timestamp('NgayTiepNhan', false);
  const due = check.timestamp('NgayHenTra', true);
  const returned = check.timestamp('NgayTra', true);
  if (received && due && due < received) check.add('NgayHenTra', 'Earlier than NgayTiepNhan.');
  if (received && returned && returned < received) check.add('NgayTra', 'Earlier than NgayTiepNhan.');
  // `returned` is null when left out or null, undefined when malformed (already reported).
  if (status === 10 && returned === null) check.add('NgayTra', 'Required when TrangThaiHoSo is 10 (result returned).');
  if (status !== undefined && status !== 10 && returned)
    check.add('NgayTra', 'Only a dossier whose result was returned (TrangThaiHoSo 10) has one.');

  const papers = check.list('TaiLieuNop', (item) => {
    item.onlyKnown(['MaThanhPhan', 'TenTaiLieu', 'SoLuong', 'DuocTaiSuDung']);
    item.text('MaThanhPhan', 20, { required: false });
    item.text('TenTaiLieu', 1000);
    item.integer('SoLuong', 1, 1000, false);
    item.boolean('DuocTaiSuDung');
  });
  const fees = check.list('DanhSachLePhi', (item) => {
    item.onlyKnown(['TenLePhi', 'SoTien', 'DaThanhToan']);
    item.text('TenLePhi', 500);
    item.integer('SoTien', 0, 1_000_000_000_000);
    item.boolean('DaThanhToan');
  });
  const supplements = check.list('DanhSachHoSoBoSung', (item) => {
    item.onlyKnown(['NgayYeuCau', 'NoiDungYeuCau', 'NgayBoSung']);
    const asked = item.timestamp('NgayYeuCau', false);
    item.text('NoiDungYeuCau', 2000);
    const supplied = item.timestamp('NgayBoSung', true);
    if (asked && supplied && supplied < asked) item.add('NgayBoSung', 'Earlier than NgayYeuCau.');
  });
  const results = check.list('DanhSachGiayToKetQua', (item) => {
    item.onlyKnown(['TenGiayTo', 'MaGiayToKetQua', 'DuocSoHoa']);
    item.text('TenGiayTo', 1000);
    item.text('MaGiayToKetQua', 100, { required: false });
    item.boolean('DuocSoHoa');
  });

  if (check.problems.length > 0) return { ok: false, invalidFields: check.problems };
  const record = body as unknown as PortalDossierRecord;
  return {
    ok: true,
    value: {
      ...record,
      NgayHenTra: due ?? null,
      NgayTra: returned ?? null,
      TaiLieuNop: papers as unknown as PortalDossierRecord['TaiLieuNop'],
      DanhSachLePhi: fees as unknown as PortalDossierRecord['DanhSachLePhi'],
      DanhSachHoSoBoSung: (supplements as unknown as PortalDossierRecord['DanhSachHoSoBoSung']).map((s) => ({
        ...s,
        NgayBoSung: s.NgayBoSung ?? null,
      })),
      DanhSachGiayToKetQua: (results as unknown as PortalDossierRecord['DanhSachGiayToKetQua']).map((r) => ({
        ...r,
        MaGiayToKetQua: r.MaGiayToKetQua ?? null,
      })),
    },
  };
}

/** Checks a progress entry sent to `POST /v1/dossiers/{code}/progress`. */
export function validateProgressEntry(body: unknown): Validated<PortalProgressEntry> {
  if (!isObject(body)) return { ok: false, invalidFields: NOT_OBJECT };
  const check = new FieldChecker(body, '');
  check.onlyKnown(['NguoiXuLy', 'ThoiDiemXuLy', 'NoiDungXuLy', 'TrangThai', 'NgayKetThucTheoQuyDinh']);
  check.text('NguoiXuLy', 300);
  check.timestamp('ThoiDiemXuLy', false);
  check.text('NoiDungXuLy', 2000);
  check.integer('TrangThai', 1, 10);
  const due = check.timestamp('NgayKetThucTheoQuyDinh', true);
  if (check.problems.length > 0) return { ok: false, invalidFields: check.problems };
  const entry = body as unknown as PortalProgressEntry;
  return {
    ok: true,
    value: {
      NguoiXuLy: entry.NguoiXuLy,
      ThoiDiemXuLy: entry.ThoiDiemXuLy,
      NoiDungXuLy: entry.NoiDungXuLy,
      TrangThai: entry.TrangThai,
      NgayKetThucTheoQuyDinh: due ?? null,
    },
  };
}
