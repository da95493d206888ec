import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, mentionedNicknames } from './mention-parser.js';

describe('mentionedNicknames', () => {
  it('finds @nickname tokens once each, lower-cased, never inside a word or an e-mail address', () => {
    expect(mentionedNicknames('hi @Ann and @bob_1, @ann again; mail ann@example.org, x@yz, @ab')).toEqual([
      'ann',
      'bob_1',
    ]);
    expect(mentionedNicknames('(@Zed) @zed-2!')).toEqual(['zed', 'zed-2']);
    expect(mentionedNicknames('no mention here')).toEqual([]);
  });

  it('stops at the most mentions one message resolves', () => {
    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionedNicknames(many)).toHaveLength(MAX_MENTIONS);
  });
});
