/** The admin token the room specs start their app with. */
export const TEST_ADMIN_TOKEN = 'room-admin-'.repeat(4);

/** Calls an admin endpoint of the stand-in forum with `X-Admin-Token`; returns status and parsed body. */
export async function adminCall(
  baseUrl: string,
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  token = TEST_ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-admin-token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Creates or replaces a room; throws unless the forum accepted it. */
export async function putRoom(
  baseUrl: string,
  id: string,
  room: { title: string; members?: number[]; moderators?: number[]; read_only?: boolean },
): Promise<void> {
  const { status, body } = await adminCall(baseUrl, 'PUT', `/api/admin/rooms/${id}`, room);
  if (status !== 200 && status !== 201) throw new Error(`PUT room ${id}: ${status} ${JSON.stringify(body)}`);
}
