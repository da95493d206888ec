/** The admin token the moderation specs start their app with. */
export const MODERATION_ADMIN_TOKEN = 'moderation-admin-'.repeat(3);

/** Calls `/api/admin/chat/…` with `X-Admin-Token`; answers the status and the parsed body (null when empty). */
export async function chatAdmin(
  baseUrl: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  token = MODERATION_ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/api/admin/chat${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-admin-token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
