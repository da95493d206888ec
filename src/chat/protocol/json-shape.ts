/** Deepest nesting a client frame may have (the frame object itself is depth 1). */
export const MAX_FRAME_DEPTH = 8;

/** Keys no client frame may use, at any depth: they name or reach object prototypes. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a parsed JSON value may not go further, or null when it may: nesting deeper than
 * `MAX_FRAME_DEPTH`, or a key in `RESERVED_KEYS` anywhere. Iterative (no recursion, so no
 * stack overflow whatever the input) and linear in the size of the value.
 */
export function jsonShapeProblem(value: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_FRAME_DEPTH) return `frame nests deeper than ${MAX_FRAME_DEPTH} levels`;
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(current)) {
      if (RESERVED_KEYS.has(key)) return `frame uses the reserved key "${key}"`;
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}
