/**
 * Dossier statuses with the national portal's synchronisation codes (TrangThaiHoSo 1-10).
 * Overdue is not a status: it is derived from the due time.
 */
export const DOSSIER_STATUSES = {
  REGISTERED_ONLINE: { nationalCode: 1, label: 'Mới đăng ký' },
  RECEIVED: { nationalCode: 2, label: 'Được tiếp nhận' },
  REFUSED: { nationalCode: 3, label: 'Không được tiếp nhận' },
  PROCESSING: { nationalCode: 4, label: 'Đang xử lý' },
  SUPPLEMENT_REQUESTED: { nationalCode: 5, label: 'Yêu cầu bổ sung giấy tờ' },
  PAYMENT_REQUESTED: { nationalCode: 6, label: 'Yêu cầu thực hiện nghĩa vụ tài chính' },
  WITHDRAWN: { nationalCode: 7, label: 'Công dân yêu cầu rút hồ sơ' },
  STOPPED: { nationalCode: 8, label: 'Dừng xử lý' },
  RESOLVED: { nationalCode: 9, label: 'Đã xử lý xong' },
  RETURNED: { nationalCode: 10, label: 'Đã trả kết quả' },
} as const;

export type DossierStatus = keyof typeof DOSSIER_STATUSES;

export const DOSSIER_STATUS_NAMES = Object.keys(DOSSIER_STATUSES) as DossierStatus[];

export function nationalStatusCode(status: DossierStatus): number {
  return DOSSIER_STATUSES[status].nationalCode;
}

export function statusFromNationalCode(code: number): DossierStatus | undefined {
  return DOSSIER_STATUS_NAMES.find((status) => DOSSIER_STATUSES[status].nationalCode === code);
}

/** Statuses after which nothing more happens to the dossier. */
export const FINAL_STATUSES: ReadonlySet<DossierStatus> = new Set(['REFUSED', 'WITHDRAWN', 'STOPPED', 'RETURNED']);

export function isPending(status: DossierStatus): boolean {
  return !FINAL_STATUSES.has(status) && status !== 'RESOLVED';
}
