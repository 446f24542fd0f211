import { timingSafeEqual, createHash } from 'node:crypto';
import { parseEnterpriseCode } from '../../../domain/identifiers/enterprise-code';
import { parsePersonalId } from '../../../domain/identifiers/personal-id';
import { LAND_REGISTRY_NAMESPACE, type LandFaultCode, type Parcel, type ParcelId } from '../land-registry.types';
import { attributeOf, childElements, serializeXml, textOf, xmlNode, type XmlElement, type XmlNode } from './xml';

/** SOAP 1.1 envelopes, faults, WS-Security UsernameToken and the land registry's messages. */

export const SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';
export const WSSE_NAMESPACE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT_TYPE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export const OPERATIONS = ['GetParcel', 'FindParcelsByOwner'] as const;
export type OperationName = (typeof OPERATIONS)[number];

export function soapActionOf(operation: OperationName): string {
  return `${LAND_REGISTRY_NAMESPACE}#${operation}`;
}

/** A SOAP fault to answer with (HTTP 500, as SOAP 1.1 over HTTP requires). */
export class SoapFault extends Error {
  constructor(
    readonly code: LandFaultCode,
    /** Vietnamese, shown to users: never repeats request values. */
    readonly faultString: string,
  ) {
    super(`${code}: ${faultString}`);
    this.name = 'SoapFault';
  }

  /** Faults about header entries carry no detail element (SOAP 1.1 §4.4). */
  get aboutHeader(): boolean {
    return this.code === 'Client.Authentication' || this.code === 'MustUnderstand' || this.code === 'VersionMismatch';
  }
}

const LAND = 'land';
const SOAP = 'soap';

function envelope(...bodyChildren: XmlNode[]): string {
  return serializeXml(
    xmlNode(
      `${SOAP}:Envelope`,
      { [`xmlns:${SOAP}`]: SOAP11_NAMESPACE, [`xmlns:${LAND}`]: LAND_REGISTRY_NAMESPACE },
      xmlNode(`${SOAP}:Body`, undefined, ...bodyChildren),
    ),
  );
}

function land(name: string, ...children: (XmlNode | string)[]): XmlNode {
  return xmlNode(`${LAND}:${name}`, undefined, ...children);
}

export function faultEnvelope(fault: SoapFault): string {
  const children: XmlNode[] = [
    xmlNode('faultcode', undefined, `${SOAP}:${fault.code}`),
    xmlNode('faultstring', undefined, fault.faultString),
  ];
  if (!fault.aboutHeader) {
    children.push(xmlNode('detail', undefined, land('LandRegistryFault', land('code', fault.code), land('message', fault.faultString))));
  }
  return envelope(xmlNode(`${SOAP}:Fault`, undefined, ...children));
}

function decimal(value: number): string {
  return String(value);
}

function parcelNode(name: string, parcel: Parcel): XmlNode {
  return land(
    name,
    land('communeCode', parcel.communeCode),
    land('mapSheetNumber', String(parcel.mapSheetNumber)),
    land('parcelNumber', String(parcel.parcelNumber)),
    land('areaM2', decimal(parcel.areaM2)),
    land('landUsePurpose', land('code', parcel.landUsePurpose.code), land('name', parcel.landUsePurpose.name)),
    parcel.landUseTerm.kind === 'LONG_TERM'
      ? land('landUseTerm', land('kind', 'LONG_TERM'))
      : land('landUseTerm', land('kind', 'FIXED_TERM'), land('endDate', parcel.landUseTerm.endDate)),
    land('address', parcel.address),
    ...parcel.owners.map((owner) =>
      land(
        'owners',
        land('ownerId', owner.ownerId),
        land('ownerKind', owner.ownerKind),
        land('fullName', owner.fullName),
        land('share', decimal(owner.share)),
      ),
    ),
    land(
      'certificate',
      land('number', parcel.certificate.number),
      land('issuedOn', parcel.certificate.issuedOn),
      land('status', parcel.certificate.status),
    ),
    ...parcel.encumbrances.map((encumbrance) =>
      land(
        'encumbrances',
        land('kind', encumbrance.kind),
        land('holder', encumbrance.holder),
        land('registeredOn', encumbrance.registeredOn),
      ),
    ),
    land('lastUpdated', parcel.lastUpdated),
  );
}

export function getParcelResponse(parcel: Parcel): string {
  return envelope(land('GetParcelResponse', parcelNode('parcel', parcel)));
}

export function findParcelsByOwnerResponse(parcels: readonly Parcel[]): string {
  return envelope(land('FindParcelsByOwnerResponse', ...parcels.map((parcel) => parcelNode('parcels', parcel))));
}

export interface SoapEnvelope {
  header: XmlElement | undefined;
  /** The operation element (the only child of Body). */
  payload: XmlElement;
}

/** The operation a request names in its body, for statistics; undefined when it cannot be told. */
export function operationOf(document: XmlElement): OperationName | undefined {
  const body = childElements(document, undefined, 'Body')[0];
  const payload = body && childElements(body)[0];
  return payload && payload.namespace === LAND_REGISTRY_NAMESPACE
    ? OPERATIONS.find((operation) => operation === payload.localName)
    : undefined;
}

/** Checks the envelope and the header entries the service must understand. */
export function readEnvelope(document: XmlElement): SoapEnvelope {
  if (document.localName !== 'Envelope' || document.namespace !== SOAP11_NAMESPACE) {
    throw new SoapFault(
      'VersionMismatch',
      document.namespace === SOAP12_NAMESPACE
        ? 'Dịch vụ chỉ hỗ trợ SOAP 1.1; thông điệp dùng SOAP 1.2.'
        : 'Phần tử gốc phải là Envelope của SOAP 1.1.',
    );
  }
  const children = childElements(document);
  if (document.children.some((child) => typeof child === 'string' && child.trim() !== '')) {
    throw new SoapFault('Client.InvalidRequest', 'Envelope không được chứa văn bản ngoài các phần tử.');
  }
  let header: XmlElement | undefined;
  let rest = children;
  if (rest[0]?.namespace === SOAP11_NAMESPACE && rest[0].localName === 'Header') {
    header = rest[0];
    rest = rest.slice(1);
  }
  const body = rest[0];
  if (!body || body.namespace !== SOAP11_NAMESPACE || body.localName !== 'Body' || rest.length > 1) {
    throw new SoapFault('Client.InvalidRequest', 'Envelope phải có đúng một phần tử Body, sau Header nếu có.');
  }

  for (const entry of header ? childElements(header) : []) {
    const mustUnderstand = attributeOf(entry, SOAP11_NAMESPACE, 'mustUnderstand');
    const understood = entry.namespace === WSSE_NAMESPACE && entry.localName === 'Security';
    if ((mustUnderstand === '1' || mustUnderstand === 'true') && !understood) {
      throw new SoapFault('MustUnderstand', 'Thông điệp có phần tiêu đề bắt buộc mà dịch vụ không hỗ trợ.');
    }
  }

  const payloads = childElements(body);
  const payload = payloads[0];
  if (!payload || payloads.length > 1) {
    throw new SoapFault('Client.InvalidRequest', 'Body phải chứa đúng một phần tử yêu cầu.');
  }
  return { header, payload };
}

/** The operation the body names, checked against the SOAPAction header. */
export function operationFor(payload: XmlElement, soapActionHeader: string | undefined): OperationName {
  const operation =
    payload.namespace === LAND_REGISTRY_NAMESPACE ? OPERATIONS.find((candidate) => candidate === payload.localName) : undefined;
  if (!operation) {
    throw new SoapFault(
      'Client.UnknownOperation',
      `Thao tác không được hỗ trợ; các thao tác hợp lệ (không gian tên ${LAND_REGISTRY_NAMESPACE}): ${OPERATIONS.join(', ')}.`,
    );
  }

  // SOAPAction is a quoted URI in SOAP 1.1; an empty one means "see the body".
  const action = soapActionHeader?.trim().replace(/^"(.*)"$/, '$1');
  if (action && action !== soapActionOf(operation) && action !== operation) {
    throw new SoapFault('Client.InvalidRequest', 'Tiêu đề HTTP SOAPAction không khớp với thao tác trong Body.');
  }
  return operation;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** WS-Security UsernameToken with a PasswordText password (a missing Type means PasswordText). */
export function authenticate(header: XmlElement | undefined, expected: { username: string; password: string }): void {
  const security = header ? childElements(header, WSSE_NAMESPACE, 'Security') : [];
  const tokens = security.length === 1 ? childElements(security[0] as XmlElement, WSSE_NAMESPACE, 'UsernameToken') : [];
  if (tokens.length !== 1) {
    throw new SoapFault('Client.Authentication', 'Thiếu thông tin xác thực (WS-Security UsernameToken) trong tiêu đề SOAP.');
  }
  const token = tokens[0] as XmlElement;
  const username = childElements(token, WSSE_NAMESPACE, 'Username');
  const password = childElements(token, WSSE_NAMESPACE, 'Password');
  if (username.length !== 1 || password.length !== 1) {
    throw new SoapFault('Client.Authentication', 'UsernameToken phải có đúng một Username và một Password.');
  }
  const type = attributeOf(password[0] as XmlElement, '', 'Type');
  if (type !== undefined && type !== PASSWORD_TEXT_TYPE) {
    throw new SoapFault('Client.Authentication', 'Chỉ hỗ trợ mật khẩu dạng PasswordText.');
  }
  const sameUser = timingSafeEqual(digest(textOf(username[0] as XmlElement).trim()), digest(expected.username));
  const samePassword = timingSafeEqual(digest(textOf(password[0] as XmlElement)), digest(expected.password));
  if (!(sameUser && samePassword)) {
    throw new SoapFault('Client.Authentication', 'Tên đăng nhập hoặc mật khẩu không đúng.');
  }
}

/** The operation element's children by local name (in the service namespace or, leniently, in none). */
function fields(payload: XmlElement, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const child of childElements(payload)) {
    const known = (child.namespace === LAND_REGISTRY_NAMESPACE || child.namespace === '') && allowed.includes(child.localName);
    if (!known || values.has(child.localName) || childElements(child).length > 0) {
      throw new SoapFault('Client.InvalidRequest', `${payload.localName} chỉ nhận các phần tử ${allowed.join(', ')}, mỗi phần tử một lần.`);
    }
    values.set(child.localName, textOf(child).trim());
  }
  return values;
}

const POSITIVE_INT = /^\+?0*[1-9][0-9]{0,9}$/;
const MAX_INT = 2_147_483_647;

function positiveInt(raw: string | undefined): number | undefined {
  if (raw === undefined || !POSITIVE_INT.test(raw)) return undefined;
  const value = Number(raw);
  return value <= MAX_INT ? value : undefined;
}

export function readGetParcel(payload: XmlElement): ParcelId {
  const values = fields(payload, ['communeCode', 'mapSheetNumber', 'parcelNumber']);
  const communeCode = values.get('communeCode');
  if (communeCode === undefined || !/^[0-9]{5}$/.test(communeCode)) {
    throw new SoapFault('Client.InvalidParcelId', 'Mã xã (communeCode) phải gồm đúng 5 chữ số.');
  }
  const mapSheetNumber = positiveInt(values.get('mapSheetNumber'));
  if (mapSheetNumber === undefined) {
    throw new SoapFault('Client.InvalidParcelId', 'Số tờ bản đồ (mapSheetNumber) phải là số nguyên dương.');
  }
  const parcelNumber = positiveInt(values.get('parcelNumber'));
  if (parcelNumber === undefined) {
    throw new SoapFault('Client.InvalidParcelId', 'Số thửa đất (parcelNumber) phải là số nguyên dương.');
  }
  return { communeCode, mapSheetNumber, parcelNumber };
}

export function readFindParcelsByOwner(payload: XmlElement, referenceYear: number): string {
  const ownerId = fields(payload, ['ownerId']).get('ownerId') ?? '';
  const valid =
    ownerId.length === 12 ? parsePersonalId(ownerId, { referenceYear }).ok : ownerId.length === 10 && parseEnterpriseCode(ownerId).ok;
  if (!valid) {
    throw new SoapFault(
      'Client.InvalidOwnerId',
      'Mã chủ sử dụng (ownerId) phải là số định danh cá nhân 12 chữ số hoặc mã số doanh nghiệp 10 chữ số hợp lệ.',
    );
  }
  return ownerId;
}
