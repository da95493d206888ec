import { newClientId } from './client-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newClientId', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is a version-4 UUID within the contract limit of 64 characters, unique per call', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('falls back to getRandomValues where randomUUID is missing (plain-http pages)', () => {
    const getRandomValues = vi.fn((a: Uint8Array) => a.fill(0xff));
    vi.stubGlobal('crypto', { getRandomValues });
    expect(newClientId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(getRandomValues).toHaveBeenCalledOnce();
  });

  it('still produces a UUID without Web Crypto at all', () => {
    vi.stubGlobal('crypto', undefined);
    expect(newClientId()).toMatch(UUID_V4);
  });
});
