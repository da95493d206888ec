/** A logged-in user as the tests hold it: the cookie header value and the token. */
export interface TestUser {
  id: number;
  nickname: string;
  password: string;
  token: string;
  cookie: string;
}

let counter = 0;

/** A nickname unique within this test process. */
export function uniqueNickname(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/** POSTs JSON and returns status, parsed body (or null) and headers. */
export async function postJson(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Registers and logs in a fresh user through the real HTTP endpoints. */
export async function registerAndLogin(baseUrl: string, nickname = uniqueNickname()): Promise<TestUser> {
  const password = 'correct horse battery';
  const registered = await postJson(baseUrl, '/api/auth/register', { nickname, password });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  return login(baseUrl, nickname, password);
}

/** Logs in an existing user and extracts the session cookie. */
export async function login(baseUrl: string, loginName: string, password: string): Promise<TestUser> {
  const response = await postJson(baseUrl, '/api/auth/login', { login: loginName, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const token = /session_id=([^;]+)/.exec(setCookie)?.[1];
  if (!token) throw new Error(`no session cookie in "${setCookie}"`);
  return { id: response.body.id, nickname: response.body.nickname, password, token, cookie: `session_id=${token}` };
}
