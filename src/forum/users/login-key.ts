/**
 * The one case folding of nicknames and e-mail addresses: trimmed, NFC, lower-cased by
 * JavaScript's `toLowerCase` (full Unicode mapping, locale-independent), NFC again.
 * The stores keep this key beside each name and compare keys only, never the database's
 * own `lower()`, so SQLite, PostgreSQL and the brute-force buckets fold every letter the
 * same way (`İ` U+0130 folds to `i̇`, never to `i`).
 */
export function loginKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase().normalize('NFC');
}
