import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileDocumentStorage, MemoryDocumentStorage } from './file-document-storage';

describe.each([
  ['filesystem', () => new FileDocumentStorage(mkdtempSync(path.join(tmpdir(), 'hub-storage-')))],
  ['memory', () => new MemoryDocumentStorage()],
])('document storage (%s)', (_, make) => {
  const key = '000.19.31.H46-SY-261203-ABCDEFGH';

  it('gives back what was put, replaces it atomically, and forgets it once deleted', async () => {
    const storage = make();
    await storage.put(key, Buffer.from('first'));
    await storage.put(key, Buffer.from('second'));
    expect((await storage.get(key)).toString()).toBe('second');
    await storage.delete(key);
    await storage.delete(key);
    await expect(storage.get(key)).rejects.toMatchObject({ reason: 'DOCUMENT.FILE_MISSING' });
  });

  it.each(['../etc/passwd', 'a/../../b', '/absolute', ''])('refuses the key %j', async (bad) => {
    await expect(make().put(bad, Buffer.from('x'))).rejects.toMatchObject({ reason: 'DOCUMENT.STORAGE_KEY' });
  });
});

it('leaves no temporary file behind on disk', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'hub-storage-'));
  await new FileDocumentStorage(root).put('2026/12/X-1', Buffer.from('x'));
  expect(readdirSync(path.join(root, '2026', '12'))).toEqual(['X-1']);
  rmSync(root, { recursive: true, force: true });
});
