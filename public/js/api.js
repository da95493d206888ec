/** A refused HTTP call: `status` and the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = Array.isArray(data?.message) ? data.message.join('; ') : data?.message;
    throw new ApiError(response.status, message || `${response.status} ${response.statusText}`);
  }
  return data;
}

/** The logged-in user (`{ id, nickname }`), or null without a valid session. */
export async function currentUser() {
  try {
    return await call('GET', '/api/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Logs in; the server sets the HttpOnly `session_id` cookie. Resolves with `{ id, nickname }`. */
export function login(loginName, password) {
  return call('POST', '/api/auth/login', { login: loginName, password });
}

/** Creates an account (email optional). Resolves with `{ id, nickname }`. */
export function register(nickname, password, email) {
  return call('POST', '/api/auth/register', email ? { nickname, password, email } : { nickname, password });
}

/** Ends the session; every socket of it closes with 4401. */
export async function logout() {
  try {
    await call('POST', '/api/auth/logout');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}
