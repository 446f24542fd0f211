import { fromCloudEvent, toCloudEvent } from './cloud-events';

describe('CloudEvents envelope', () => {
  const event = {
    id: '6f1c1d1e-0000-4000-8000-000000000001',
    type: 'dossier.received' as const,
    subject: '000.19.31.H46-261123-0001',
    time: new Date('2026-11-23T02:00:00Z'),
    data: { status: 'RECEIVED' },
  };

  it('wraps a hub event as a CloudEvents 1.0 structured event', () => {
    expect(toCloudEvent(event)).toEqual({
      specversion: '1.0',
      id: event.id,
      source: 'urn:onestop-hub',
      type: 'vn.gov.onestop.dossier.received',
      subject: event.subject,
      time: '2026-11-23T02:00:00.000Z',
      datacontenttype: 'application/json',
      data: { status: 'RECEIVED' },
    });
  });

  it('round-trips', () => {
    expect(fromCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(event))))).toEqual(event);
  });

  it('rejects what is not one of ours', () => {
    expect(() => fromCloudEvent({ specversion: '0.3', id: 'x', type: 'dossier.received' })).toThrow();
    expect(() => fromCloudEvent({ ...toCloudEvent(event), type: 'vn.gov.onestop.dossier.exploded' })).toThrow(/unknown event type/);
    expect(() => fromCloudEvent(null)).toThrow();
  });
});
