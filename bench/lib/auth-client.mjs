/**
 * The forum's HTTP auth endpoints as the contract defines them, from a client's
 * side: register, log in (→ `session_id` cookie), check a session.
 */

/** @typedef {{ id: number, nickname: string, cookie: string }} BenchUser */

/**
 * Registers a user; an already-taken nickname (409) is not an error, so a pool
 * can be rebuilt over an existing database.
 * @param {string} baseUrl e.g. http://127.0.0.1:8080
 * @param {string} nickname
 * @param {string} password
 * @returns {Promise<void>}
 */
export async function register(baseUrl, nickname, password) {
  const res = await post(baseUrl, '/api/auth/register', { nickname, password });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`register ${nickname}: HTTP ${res.status} ${await res.text()}`);
  }
  await res.arrayBuffer();
}

/**
 * Logs in and returns the user with a `Cookie` header value carrying the session.
 * @param {string} baseUrl
 * @param {string} login nickname or email
 * @param {string} password
 * @returns {Promise<BenchUser>}
 */
export async function login(baseUrl, login, password) {
  const res = await post(baseUrl, '/api/auth/login', { login, password });
  if (res.status !== 200) throw new Error(`login ${login}: HTTP ${res.status} ${await res.text()}`);
  const body = await res.json();
  const session = res.headers
    .getSetCookie()
    .map((c) => /^session_id=([^;]*)/.exec(c)?.[1])
    .find(Boolean);
  if (!session) throw new Error(`login ${login}: no session_id cookie in the answer`);
  return { id: Number(body.id), nickname: String(body.nickname), cookie: `session_id=${session}` };
}

/**
 * @param {string} baseUrl
 * @param {string} cookie a `Cookie` header value
 * @returns {Promise<boolean>} whether `GET /api/auth/me` accepts the session (servers without the route: true)
 */
export async function sessionValid(baseUrl, cookie) {
  const res = await fetch(`${baseUrl}/api/auth/me`, { headers: { Cookie: cookie } });
  await res.arrayBuffer();
  return res.status !== 401;
}

function post(baseUrl, path, body) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}
