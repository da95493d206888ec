import unhomoglyph from 'unhomoglyph';

/** The confusable skeleton of Unicode TR39: NFD, each character to its prototype (confusables.txt), NFD. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * What a nickname looks like, for refusing look-alikes: its TR39 skeleton, lower-cased, and
 * skeletonized again, so two nicknames that look alike in any case get the same value
 * (`aIice`, `AIice`, `alice` and `a1ice` all give `alice`; `m` gives `rn`). The confusable
 * data is `unhomoglyph`'s copy of Unicode's confusables.txt. Not meant to be shown.
 */
export function nicknameSkeleton(nickname: string): string {
  return skeleton(skeleton(nickname.trim()).toLowerCase());
}
