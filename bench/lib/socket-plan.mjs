/**
 * Which user each benchmark socket logs in as: socket `i` uses `users[i % users.length]`,
 * so the first `users.length` sockets are distinct users and later ones are extra tabs.
 * @param {import('./auth-client.mjs').BenchUser[]} users
 * @param {number} count
 * @param {number} [offset] number of the first socket
 * @returns {{ cookie: string, userId: number }[]}
 */
export function socketEntries(users, count, offset = 0) {
  return Array.from({ length: count }, (_, k) => {
    const u = users[(offset + k) % users.length];
    return { cookie: u.cookie, userId: u.id };
  });
}
