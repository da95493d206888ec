import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './capabilities.js';

describe('capabilitiesOf', () => {
  it('reads the first caps parameter as URLSearchParams does, keeping only known names', () => {
    const cases: Array<[string, string[]]> = [
      ['/ws', []],
      ['/ws?', []],
      ['/ws?caps=presence_changes', ['presence_changes']],
      ['/ws?x=1&caps=presence_changes,unknown', ['presence_changes']],
      ['/ws?caps=unknown&caps=presence_changes', []],
      ['/ws?caps=%20presence_changes%2Cother', ['presence_changes']],
      ['/ws?%63aps=presence_changes', ['presence_changes']],
      ['/ws?caps=+presence_changes+', ['presence_changes']],
      ['/ws?capsx=presence_changes', []],
      ['/ws?caps=', []],
    ];
    for (const [url, expected] of cases) expect([...capabilitiesOf({ url })], url).toEqual(expected);
  });

  it('gives sockets that ask alike the same set', () => {
    expect(capabilitiesOf({ url: '/ws?caps=presence_changes' })).toBe(
      capabilitiesOf({ url: '/ws?caps=presence_changes' }),
    );
  });
});
