/** Liveness for the web tier: the Next.js server renders and answers. */
export function GET() {
  return Response.json({ status: 'ok' });
}
