import a from './a-fanout-closed.mjs';
import { b, c } from './bc-fanout-rate.mjs';
import d from './d-private.mjs';
import e from './e-idle-memory.mjs';
import f from './f-handshakes.mjs';
import g from './g-reconnect-storm.mjs';

/** Every scenario of the suite, in run order. */
export const SCENARIOS = [a, b, c, d, e, f, g];
