import { CloseCode } from '../protocol/close-codes.js';

/** Close codes worth their own series: the contract's, plus the standard ones a peer or the network produces. */
const LABELLED = new Set<number>([...Object.values(CloseCode), 1000, 1002, 1005, 1006, 1011]);

/**
 * The `code` label of a close: the code itself when it is one of the contract's or a
 * standard one (1000 normal, 1002 protocol error, 1005 none given, 1006 dropped, 1011
 * server error), `other` for anything else a client may choose (3000–4999), so a client
 * cannot create series at will.
 */
export function closeCodeLabel(code: number): string {
  return LABELLED.has(code) ? String(code) : 'other';
}
