import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CitizenLookupResult } from '../../connectors/population/population-registry.types';
import { LAND_REGISTRY_NAMESPACE, type Parcel, type ParcelId } from '../../connectors/land/land-registry.types';
import { createLandRegistry, generateParcel } from '../../connectors/land/simulator/land-generator';
import {
  startLandSimulator,
  type LandSimulatorStats,
  type RunningLandSimulator,
} from '../../connectors/land/simulator/land-simulator.server';
import { PASSWORD_TEXT_TYPE, SOAP11_NAMESPACE, WSSE_NAMESPACE } from '../../connectors/land/simulator/soap-messages';
import { attributeOf, childElements, parseXml, textOf, type XmlElement } from '../../connectors/land/simulator/xml';
import { createLogger } from '../../platform/logger';
import { projectRoot } from '../../platform/paths';
import { testEnv } from '../support/environment';
import type { BaseSimulatorStats } from '../../connectors/simulator-kit/stats';
import { until } from '../support/until';
import { simulatorStats } from '../support/simulator-admin';

const SEED = 20250701;
const SIZE = 600;
const POPULATION_SIZE = 2000;
const BUSINESSES = 200;
const SETTINGS = { seed: SEED, populationSize: POPULATION_SIZE, businessCount: BUSINESSES };
const WSDL_NAMESPACE = 'http://schemas.xmlsoap.org/wsdl/';

interface Credentials {
  username: string;
  password: string;
  type?: string;
}

const CREDENTIALS: Credentials = { username: 'desk', password: 'mật-khẩu <&> thử' };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function security(credentials: Credentials | null): string {
  if (!credentials) return '';
  const type = credentials.type === undefined ? '' : ` Type="${credentials.type}"`;
  return `<soapenv:Header>
    <wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="${WSSE_NAMESPACE}">
      <wsse:UsernameToken>
        <wsse:Username>${escapeXml(credentials.username)}</wsse:Username>
        <wsse:Password${type}>${escapeXml(credentials.password)}</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
  </soapenv:Header>`;
}

/** `null` credentials: no SOAP header at all. */
function envelope(body: string, credentials: Credentials | null = CREDENTIALS): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="${SOAP11_NAMESPACE}" xmlns:v1="${LAND_REGISTRY_NAMESPACE}">
  ${security(credentials)}
  <soapenv:Body>${body}</soapenv:Body>
</soapenv:Envelope>`;
}

function getParcelBody(id: { communeCode: string; mapSheetNumber: number | string; parcelNumber: number | string }): string {
  return `<v1:GetParcel><v1:communeCode>${id.communeCode}</v1:communeCode><v1:mapSheetNumber>${id.mapSheetNumber}</v1:mapSheetNumber><v1:parcelNumber>${id.parcelNumber}</v1:parcelNumber></v1:GetParcel>`;
}

function findBody(ownerId: string): string {
  return `<v1:FindParcelsByOwner><v1:ownerId>${ownerId}</v1:ownerId></v1:FindParcelsByOwner>`;
}

function child(element: XmlElement, name: string): XmlElement {
  const found = childElements(element, LAND_REGISTRY_NAMESPACE, name)[0];
  if (!found) throw new Error(`no <${name}> in <${element.localName}>`);
  return found;
}

function text(element: XmlElement, name: string): string {
  return textOf(child(element, name));
}

/** The parcel as the client reads it from the XML. */
function readParcel(element: XmlElement): Parcel {
  const term = child(element, 'landUseTerm');
  return {
    communeCode: text(element, 'communeCode'),
    mapSheetNumber: Number(text(element, 'mapSheetNumber')),
    parcelNumber: Number(text(element, 'parcelNumber')),
    areaM2: Number(text(element, 'areaM2')),
    landUsePurpose: { code: text(child(element, 'landUsePurpose'), 'code'), name: text(child(element, 'landUsePurpose'), 'name') },
    landUseTerm: text(term, 'kind') === 'LONG_TERM' ? { kind: 'LONG_TERM' } : { kind: 'FIXED_TERM', endDate: text(term, 'endDate') },
    address: text(element, 'address'),
    owners: childElements(element, LAND_REGISTRY_NAMESPACE, 'owners').map((owner) => ({
      ownerId: text(owner, 'ownerId'),
      ownerKind: text(owner, 'ownerKind') as Parcel['owners'][number]['ownerKind'],
      fullName: text(owner, 'fullName'),
      share: Number(text(owner, 'share')),
    })),
    certificate: {
      number: text(child(element, 'certificate'), 'number'),
      issuedOn: text(child(element, 'certificate'), 'issuedOn'),
      status: text(child(element, 'certificate'), 'status') as Parcel['certificate']['status'],
    },
    encumbrances: childElements(element, LAND_REGISTRY_NAMESPACE, 'encumbrances').map((encumbrance) => ({
      kind: text(encumbrance, 'kind') as Parcel['encumbrances'][number]['kind'],
      holder: text(encumbrance, 'holder'),
      registeredOn: text(encumbrance, 'registeredOn'),
    })),
    lastUpdated: text(element, 'lastUpdated'),
  };
}

interface SoapAnswer {
  status: number;
  contentType: string | null;
  body: XmlElement;
  /** The first child of soap:Body. */
  payload: XmlElement;
}

interface Fault {
  faultcode: string;
  faultstring: string;
  detailCode: string | undefined;
}

function readFault(answer: SoapAnswer): Fault {
  expect(answer.payload).toMatchObject({ namespace: SOAP11_NAMESPACE, localName: 'Fault' });
  const part = (name: string) => childElements(answer.payload, '', name)[0];
  const detail = part('detail');
  const faultDetail = detail && childElements(detail, LAND_REGISTRY_NAMESPACE, 'LandRegistryFault')[0];
  return {
    faultcode: textOf(part('faultcode') as XmlElement),
    faultstring: textOf(part('faultstring') as XmlElement),
    detailCode: faultDetail && text(faultDetail, 'code'),
  };
}

describe('land registry simulator over SOAP', () => {
  let simulator: RunningLandSimulator;
  let sample: { parcels: ParcelId[]; ownerIds: string[] };

  const http = (path: string, init?: RequestInit) => fetch(`${simulator.url}${path}`, init);
  const post = async (xml: string, headers: Record<string, string> = {}): Promise<SoapAnswer> => {
    const response = await http('/soap', { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body: xml });
    const body = parseXml(await response.text());
    expect(body).toMatchObject({ namespace: SOAP11_NAMESPACE, localName: 'Envelope' });
    const soapBody = childElements(body, SOAP11_NAMESPACE, 'Body')[0] as XmlElement;
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body,
      payload: childElements(soapBody)[0] as XmlElement,
    };
  };
  const expectFault = async (xml: string, code: string, headers: Record<string, string> = {}): Promise<Fault> => {
    const answer = await post(xml, headers);
    expect(answer.status).toBe(500);
    expect(answer.contentType).toBe('text/xml; charset=utf-8');
    const fault = readFault(answer);
    expect(fault.faultcode).toBe(`soap:${code}`);
    return fault;
  };
  const setFaults = async (faults: Record<string, unknown>) => {
    const response = await http('/_sim/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    simulator = await startLandSimulator({
      port: 0,
      size: SIZE,
      ...SETTINGS,
      username: CREDENTIALS.username,
      password: CREDENTIALS.password,
      logger: createLogger({ level: 'silent' }),
    });
    sample = (await (await http('/_sim/sample?count=20')).json()) as typeof sample;
  });

  afterAll(async () => {
    await simulator.close();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('listens on a random port of 127.0.0.1 and reports health', async () => {
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
    expect(simulator.endpoint).toBe(`${simulator.url}/soap`);
    const response = await http('/healthz');
    expect(await response.json()).toEqual({
      status: 'ok',
      parcels: SIZE,
      seed: SEED,
      populationSize: POPULATION_SIZE,
      businessCount: BUSINESSES,
    });
  });

  it('samples the first parcels and their owners', async () => {
    expect(sample.parcels).toHaveLength(20);
    const first = generateParcel(SETTINGS, 0);
    expect(sample.parcels[0]).toEqual({
      communeCode: first.communeCode,
      mapSheetNumber: first.mapSheetNumber,
      parcelNumber: first.parcelNumber,
    });
    expect(sample.ownerIds.slice(0, first.owners.length)).toEqual(first.owners.map((owner) => owner.ownerId));
    expect((await http('/_sim/sample?count=0')).status).toBe(400);
    expect((await http('/_sim/sample?count=x')).status).toBe(400);
  });

  it('serves its WSDL, with the service address of the running simulator', async () => {
    const published = readFileSync(join(projectRoot(), 'connectors', 'land', 'land-registry.wsdl'), 'utf8');
    for (const path of ['/soap?wsdl', '/soap?WSDL', '/land-registry.wsdl']) {
      const response = await http(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      const served = await response.text();
      expect(served).toBe(published.replace('location="http://127.0.0.1:4103/soap"', `location="${simulator.endpoint}"`));
      const wsdl = parseXml(served);
      expect(wsdl).toMatchObject({ namespace: WSDL_NAMESPACE, localName: 'definitions' });
      expect(attributeOf(wsdl, '', 'targetNamespace')).toBe(LAND_REGISTRY_NAMESPACE);
      const binding = childElements(wsdl, WSDL_NAMESPACE, 'binding')[0] as XmlElement;
      const actions = childElements(binding, WSDL_NAMESPACE, 'operation').map((operation) => [
        attributeOf(operation, '', 'name'),
        attributeOf(childElements(operation, undefined, 'operation')[0] as XmlElement, '', 'soapAction'),
      ]);
      expect(actions).toEqual([
        ['GetParcel', `${LAND_REGISTRY_NAMESPACE}#GetParcel`],
        ['FindParcelsByOwner', `${LAND_REGISTRY_NAMESPACE}#FindParcelsByOwner`],
      ]);
    }
    const plainGet = await http('/soap');
    expect(plainGet.status).toBe(405);
    expect(plainGet.headers.get('allow')).toBe('POST');
  });

  it('answers GetParcel with the generated parcel', async () => {
    const id = sample.parcels[3] as ParcelId;
    const answer = await post(envelope(getParcelBody(id)), { SOAPAction: `"${LAND_REGISTRY_NAMESPACE}#GetParcel"` });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/xml; charset=utf-8');
    expect(answer.payload).toMatchObject({ namespace: LAND_REGISTRY_NAMESPACE, localName: 'GetParcelResponse' });
    expect(readParcel(child(answer.payload, 'parcel'))).toEqual(generateParcel(SETTINGS, 3));
  });

  it('finds the operation from the body alone, and accepts leading zeros and whitespace in numbers', async () => {
    const id = sample.parcels[0] as ParcelId;
    const answer = await post(
      envelope(
        getParcelBody({ communeCode: id.communeCode, mapSheetNumber: ` 0${id.mapSheetNumber} `, parcelNumber: `+${id.parcelNumber}` }),
      ),
    );
    expect(answer.status).toBe(200);
    expect(text(child(answer.payload, 'parcel'), 'parcelNumber')).toBe(String(id.parcelNumber));
  });

  it('answers FindParcelsByOwner with every parcel of a citizen or an enterprise', async () => {
    const registry = createLandRegistry({ ...SETTINGS, size: SIZE });
    const citizen = sample.ownerIds[0] as string;
    const organisation = registry.ownerIds().find((id) => id.length === 10) as string;
    expect(organisation).toBeDefined();
    for (const ownerId of [citizen, organisation]) {
      const answer = await post(envelope(findBody(ownerId)), { SOAPAction: `${LAND_REGISTRY_NAMESPACE}#FindParcelsByOwner` });
      expect(answer.status).toBe(200);
      expect(answer.payload).toMatchObject({ namespace: LAND_REGISTRY_NAMESPACE, localName: 'FindParcelsByOwnerResponse' });
      const parcels = childElements(answer.payload, LAND_REGISTRY_NAMESPACE, 'parcels').map(readParcel);
      expect(parcels.length).toBeGreaterThan(0);
      expect(parcels).toEqual(registry.parcelsOwnedBy(ownerId));
      for (const parcel of parcels) expect(parcel.owners.map((owner) => owner.ownerId)).toContain(ownerId);
    }
  });

  it('answers FindParcelsByOwner with no parcel for an owner of none', async () => {
    const answer = await post(envelope(findBody('046203999999')));
    expect(answer.status).toBe(200);
    expect(childElements(answer.payload)).toEqual([]);
  });

  it('answers Client.ParcelNotFound for an unknown parcel or commune', async () => {
    const id = sample.parcels[0] as ParcelId;
    for (const unknown of [
      { ...id, parcelNumber: 1001 },
      { ...id, communeCode: '00004' },
    ]) {
      const fault = await expectFault(envelope(getParcelBody(unknown)), 'Client.ParcelNotFound');
      expect(fault.detailCode).toBe('Client.ParcelNotFound');
      expect(fault.faultstring).toBe('Không tìm thấy thửa đất với mã xã, số tờ bản đồ và số thửa đã cho.');
    }
  });

  it.each([
    ['a 4-digit commune code', { communeCode: '1975', mapSheetNumber: 1, parcelNumber: 1 }],
    ['a letter in the commune code', { communeCode: '1975a', mapSheetNumber: 1, parcelNumber: 1 }],
    ['a zero map sheet', { communeCode: '19753', mapSheetNumber: 0, parcelNumber: 1 }],
    ['a negative parcel number', { communeCode: '19753', mapSheetNumber: 1, parcelNumber: -4 }],
    ['a decimal parcel number', { communeCode: '19753', mapSheetNumber: 1, parcelNumber: '1.5' }],
    ['an empty map sheet', { communeCode: '19753', mapSheetNumber: '', parcelNumber: 1 }],
    ['a number beyond xs:int', { communeCode: '19753', mapSheetNumber: 1, parcelNumber: '2147483648' }],
  ])('answers Client.InvalidParcelId for %s', async (_case, id) => {
    const fault = await expectFault(envelope(getParcelBody(id)), 'Client.InvalidParcelId');
    expect(fault.detailCode).toBe('Client.InvalidParcelId');
  });

  it('answers Client.InvalidParcelId when a part of the id is missing', async () => {
    await expectFault(
      envelope('<v1:GetParcel><v1:communeCode>19753</v1:communeCode><v1:parcelNumber>3</v1:parcelNumber></v1:GetParcel>'),
      'Client.InvalidParcelId',
    );
  });

  it.each(['04620399999', '003203999999', '0100109107', '0100109106-001', 'abc'])(
    'answers Client.InvalidOwnerId for %s',
    async (ownerId) => {
      const fault = await expectFault(envelope(findBody(ownerId)), 'Client.InvalidOwnerId');
      expect(fault.faultstring).not.toContain(ownerId);
    },
  );

  it.each([
    ['no header', null],
    ['a wrong password', { ...CREDENTIALS, password: 'land-sim-password' }],
    ['a wrong username', { ...CREDENTIALS, username: 'hub' }],
    ['a password digest', { ...CREDENTIALS, type: PASSWORD_TEXT_TYPE.replace('PasswordText', 'PasswordDigest') }],
  ])('answers Client.Authentication with HTTP 500 for %s', async (_case, credentials) => {
    const fault = await expectFault(envelope(getParcelBody(sample.parcels[0] as ParcelId), credentials), 'Client.Authentication');
    // A fault about a header entry carries no detail (SOAP 1.1 §4.4).
    expect(fault.detailCode).toBeUndefined();
  });

  it('accepts the PasswordText type written out', async () => {
    const answer = await post(envelope(getParcelBody(sample.parcels[0] as ParcelId), { ...CREDENTIALS, type: PASSWORD_TEXT_TYPE }));
    expect(answer.status).toBe(200);
  });

  it('checks credentials before telling which operations exist', async () => {
    // An unknown operation is only revealed to authenticated callers.
    await expectFault(envelope('<v1:DeleteParcel/>', null), 'Client.Authentication');
    await expectFault(envelope('<v1:DeleteParcel/>'), 'Client.UnknownOperation');
    await expectFault(envelope('<GetParcel/>'), 'Client.UnknownOperation');
  });

  it('refuses SOAP 1.2, malformed XML, a SOAPAction naming another operation and unknown mandatory headers', async () => {
    const soap12 = envelope(getParcelBody(sample.parcels[0] as ParcelId)).replace(
      SOAP11_NAMESPACE,
      'http://www.w3.org/2003/05/soap-envelope',
    );
    const versionFault = await post(soap12);
    expect(versionFault.status).toBe(500);
    expect(readFault(versionFault).faultcode).toBe('soap:VersionMismatch');

    const malformed = await post('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>');
    expect(readFault(malformed).faultcode).toBe('soap:Client.InvalidRequest');

    await expectFault(envelope(getParcelBody(sample.parcels[0] as ParcelId)), 'Client.InvalidRequest', {
      SOAPAction: `"${LAND_REGISTRY_NAMESPACE}#FindParcelsByOwner"`,
    });

    const unknownHeader = envelope(getParcelBody(sample.parcels[0] as ParcelId)).replace(
      '</soapenv:Header>',
      '<t:Trace xmlns:t="urn:trace" soapenv:mustUnderstand="1">x</t:Trace></soapenv:Header>',
    );
    expect(readFault(await post(unknownHeader)).faultcode).toBe('soap:MustUnderstand');

    const entity = await post('<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>');
    expect(readFault(entity).faultcode).toBe('soap:Client.InvalidRequest');
  });

  it('answers Server.Unavailable with HTTP 500 during an outage, and recovers', async () => {
    expect(await setFaults({ outage: true })).toMatchObject({ outage: true, latencyMs: 0 });
    const fault = await expectFault(envelope(getParcelBody(sample.parcels[0] as ParcelId)), 'Server.Unavailable');
    expect(fault.detailCode).toBe('Server.Unavailable');
    // Admin, health and WSDL routes are not affected.
    expect((await http('/healthz')).status).toBe(200);
    expect((await http('/soap?wsdl')).status).toBe(200);
    await setFaults({ outage: false });
    expect((await post(envelope(getParcelBody(sample.parcels[0] as ParcelId)))).status).toBe(200);
  });

  it('answers Server.Unavailable at the configured error rate, before checking credentials', async () => {
    await setFaults({ errorRate: 1 });
    await expectFault(envelope(findBody(sample.ownerIds[0] as string), null), 'Server.Unavailable');
    await setFaults({ errorRate: 0 });
    expect((await post(envelope(findBody(sample.ownerIds[0] as string)))).status).toBe(200);
  });

  it('delays answers by the injected latency', async () => {
    await setFaults({ latencyMs: 250 });
    const started = performance.now();
    const answer = await post(envelope(getParcelBody(sample.parcels[0] as ParcelId)));
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('answers 200 with a body that is not well-formed XML when malformed', async () => {
    await setFaults({ malformed: true });
    const response = await http('/soap', {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: envelope(getParcelBody(sample.parcels[0] as ParcelId)),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const body = await response.text();
    expect(() => parseXml(body)).toThrow();
  });

  it('never answers while the timeout fault is on', async () => {
    await setFaults({ timeout: true });
    await expect(
      http('/soap', { method: 'POST', body: envelope(getParcelBody(sample.parcels[0] as ParcelId)), signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
  });

  it('switches faults at run time: PUT replaces, PATCH merges, bad values are refused', async () => {
    await setFaults({ latencyMs: 10, malformed: true });
    const patched = await http('/_sim/faults', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ malformed: false, errorRate: 0.5 }),
    });
    expect(await patched.json()).toEqual({ latencyMs: 10, errorRate: 0.5, outage: false, timeout: false, malformed: false });
    for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { outage: 'yes' }, { slow: true }]) {
      const response = await http('/_sim/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      expect(response.status).toBe(400);
    }
    expect(await (await http('/_sim/faults')).json()).toMatchObject({ latencyMs: 10, errorRate: 0.5 });
  });

  it('counts calls per operation, parcels returned and faults', async () => {
    const reset = (await (await http('/_sim/stats/reset', { method: 'POST' })).json()) as LandSimulatorStats;
    expect(reset.calls).toEqual({ GetParcel: 0, FindParcelsByOwner: 0, other: 0 });

    const id = sample.parcels[0] as ParcelId;
    await post(envelope(getParcelBody(id)));
    await post(envelope(getParcelBody({ ...id, parcelNumber: 1001 })));
    await post(envelope(getParcelBody(id), null));
    const owned = (await post(envelope(findBody(sample.ownerIds[0] as string)))).payload;
    await post('not xml');
    await setFaults({ outage: true });
    await post(envelope(findBody(sample.ownerIds[0] as string)));

    const stats = (await (await http('/_sim/stats')).json()) as LandSimulatorStats;
    expect(stats.calls).toEqual({ GetParcel: 3, FindParcelsByOwner: 2, other: 1 });
    expect(stats.parcelsReturned).toBe(1 + childElements(owned).length);
    expect(stats.faultsReturned).toEqual({ 'Client.ParcelNotFound': 1, 'Client.Authentication': 1, 'Client.InvalidRequest': 1 });
    expect(stats.faultsInjected).toEqual({ outage: 1, error: 0, timeout: 0, malformed: 0 });
    expect(Date.parse(stats.since)).toBeGreaterThanOrEqual(Date.parse(reset.since));
  });

  it('answers unknown routes with 404', async () => {
    expect((await http('/v1/parcels')).status).toBe(404);
  });
});

describe('land registry simulator and the population simulator', () => {
  it('names as owners citizens the running population simulator knows, with the same names', async () => {
    const registry = createLandRegistry({ seed: Number(testEnv('simulatorSeed')), populationSize: 5000, size: 300 });
    const owners = new Map<string, string>();
    for (const id of registry.parcelIds()) {
      for (const owner of registry.getParcel(id)?.owners ?? [])
        if (owner.ownerKind === 'CITIZEN') owners.set(owner.ownerId, owner.fullName);
    }
    const response = await fetch(`${testEnv('populationUrl')}/v1/citizens/batch-lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personalIds: [...owners.keys()].slice(0, 500) }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as CitizenLookupResult;
    expect(result.notFound).toEqual([]);
    expect(result.invalid).toEqual([]);
    expect(result.citizens.length).toBe(Math.min(owners.size, 500));
    for (const citizen of result.citizens) expect(citizen.fullName).toBe(owners.get(citizen.personalId));
  });
});

describe('land registry simulator lifecycle', () => {
  it('closes even while a request is held by the timeout fault', async () => {
    const simulator = await startLandSimulator({
      port: 0,
      size: 10,
      populationSize: 100,
      faults: { timeout: true },
      logger: createLogger({ level: 'silent' }),
    });
    const held = fetch(simulator.endpoint, { method: 'POST', body: '<x/>' }).catch((error: unknown) => error);
    // Closed once the simulator holds the call (counted as an injected timeout), not after a guessed delay.
    await until(async () => (await simulatorStats<BaseSimulatorStats>(simulator.url)).faultsInjected.timeout === 1, 'the call held');
    await simulator.close();
    expect(await held).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });

  it('logs requests without ids, names or credentials', async () => {
    const lines: string[] = [];
    const { default: pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const simulator = await startLandSimulator({ port: 0, size: 20, populationSize: 200, businessCount: 0, logger });
    const parcel = simulator.registry.getParcel(simulator.registry.parcelIds(1)[0] as ParcelId) as Parcel;
    const owner = parcel.owners[0]!;
    const credentials = { username: 'hub', password: 'land-sim-password' };
    const send = (body: string) =>
      fetch(simulator.endpoint, { method: 'POST', headers: { 'content-type': 'text/xml' }, body }).then((r) => r.text());
    await send(envelope(getParcelBody(parcel), credentials));
    await send(envelope(findBody(owner.ownerId), credentials));
    await simulator.close();
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ route: '/soap', operation: 'GetParcel', status: 200 });
    expect(requests[1]).toMatchObject({ operation: 'FindParcelsByOwner', status: 200 });
    const log = lines.join('\n');
    for (const secret of [owner.ownerId, owner.fullName, credentials.password, parcel.address]) expect(log).not.toContain(secret);
  });

  it('runs from the command line: one line with its URL, health, clean stop', async () => {
    const script = join(projectRoot(), 'dist', 'connectors', 'land', 'simulator', 'main.js');
    const child = spawn(process.execPath, [script, '--port', '0', '--size', '50', '--population-size', '300'], {
      env: { ...process.env, LAND_SIM_PASSWORD: 'from-env' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (text) => {
        if (text.startsWith('land registry simulator listening on ')) resolve(text);
      });
      child.on('exit', () => reject(new Error('the simulator exited before listening')));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(line)?.[1] as string;
    expect(line).toBe(`land registry simulator listening on ${url} (SOAP endpoint ${url}/soap, 50 parcels, seed 20250701)`);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok', parcels: 50, populationSize: 300 });
    const parcel = generateParcel({ populationSize: 300 }, 0);
    const ok = await fetch(`${url}/soap`, {
      method: 'POST',
      body: envelope(getParcelBody(parcel), { username: 'hub', password: 'from-env' }),
    });
    expect(ok.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses bad arguments with status 2', async () => {
    const script = join(projectRoot(), 'dist', 'connectors', 'land', 'simulator', 'main.js');
    const child = spawn(process.execPath, [script, '--size', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--size must be an integer from 1 to 100000');
  });
});
