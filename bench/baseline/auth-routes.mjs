/**
 * A trivial stand-in for the forum's auth endpoints, so that the load generator
 * drives the baseline exactly as it drives forum-chat: `POST /api/auth/register`,
 * `POST /api/auth/login` (sets `session_id`), `GET /health`. Passwords are neither
 * hashed nor checked: the baseline measures the socket path, not the login.
 */
export class AuthRoutes {
  /** @param {import('./session-cookie.mjs').SessionCookie} sessions */
  constructor(sessions) {
    this.sessions = sessions;
    /** @type {Map<string, number>} nickname -> user id */
    this.users = new Map();
  }

  /**
   * Answers the request; every request gets exactly one response.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  handle(req, res) {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
    if (req.method !== 'POST') return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'not found' });
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'invalid JSON' });
      }
      if (req.url === '/api/auth/register') return this.#register(body, res);
      if (req.url === '/api/auth/login') return this.#login(body, res);
      send(res, 404, { statusCode: 404, error: 'Not Found', message: 'not found' });
    });
  }

  #register(body, res) {
    const nickname = String(body?.nickname ?? '');
    if (!nickname) return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'nickname' });
    if (this.users.has(nickname)) return send(res, 409, { statusCode: 409, error: 'Conflict', message: 'taken' });
    const id = this.users.size + 1;
    this.users.set(nickname, id);
    send(res, 201, { id, nickname });
  }

  #login(body, res) {
    const nickname = String(body?.login ?? '');
    const id = this.users.get(nickname);
    if (id === undefined) return send(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'bad login' });
    const cookie = this.sessions.issue({ id, nickname });
    res.setHeader('Set-Cookie', `session_id=${cookie}; HttpOnly; SameSite=Lax; Path=/`);
    send(res, 200, { id, nickname });
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
