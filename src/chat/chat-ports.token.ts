/** Injection token of the instance's `ChatPorts`. */
export const CHAT_PORTS = Symbol('ChatPorts');
