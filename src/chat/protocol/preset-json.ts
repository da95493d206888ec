/** JSON text attached to frame objects by whoever built them (`presetJson`). */
const preset = new WeakMap<object, string>();

/**
 * Attaches `json` to `frame` as its serialization, for a frame whose text can be built
 * cheaper than by `JSON.stringify` (parts shared by many frames). `json` must be exactly
 * `JSON.stringify(frame)`, and `frame` must not be changed afterwards. Returns `frame`.
 */
export function presetJson<T extends object>(frame: T, json: string): T {
  preset.set(frame, json);
  return frame;
}

/** `JSON.stringify(frame)`: the text attached by `presetJson` when there is one. */
export function jsonOf(frame: object): string {
  return preset.get(frame) ?? JSON.stringify(frame);
}
