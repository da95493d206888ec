/** Injection token of the `ChatUserDirectory` the importing application supplies. */
export const CHAT_USER_DIRECTORY = Symbol('ChatUserDirectory');
