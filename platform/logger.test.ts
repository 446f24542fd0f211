import { Writable } from 'node:stream';
import { createLogger, scrubPersonalIds } from './logger';

function capture(): { text: () => string; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { text: () => lines.join(''), stream };
}

describe('logger', () => {
  it('scrubs 12-digit personal ids from any text, leaving other numbers', () => {
    expect(scrubPersonalIds('GET /v1/citizens/046203001234 failed')).toBe('GET /v1/citizens/[personal-id] failed');
    expect(scrubPersonalIds('code 0100109106, 1234567890123')).toBe('code 0100109106, 1234567890123');
  });

  it('never writes a personal id or name, in messages, fields or errors', () => {
    const { text, stream } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info(
      { personalId: '046203001234', fullName: 'Nguyễn Văn A', url: 'http://x/v1/citizens/046203001234' },
      'lookup of 046203001234',
    );
    logger.error({ err: new Error('upstream said 046203001234 not found') }, 'failed');
    expect(text()).not.toContain('046203001234');
    expect(text()).not.toContain('Nguyễn Văn A');
    expect(text()).toContain('[personal-id]');
    expect(text()).toContain('upstream said');
  });
});
