import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Signed webhook requests. The signature covers the timestamp and the exact body, so a captured request cannot be
 * sent again later (the timestamp is checked against a tolerance) nor altered; the body carries the delivery's ID,
 * which a receiver keeps for the tolerance window to refuse a replay within it. Every configured secret signs, so a
 * receiver that knows either the new or the old secret accepts the request while a secret is being rotated.
 */

export const SIGNATURE_HEADER = 'govflow-signature';
export const TIMESTAMP_HEADER = 'govflow-timestamp';
export const DELIVERY_HEADER = 'govflow-delivery';
/** How far a request's timestamp may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: string, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The headers of a signed request: `govflow-signature: v1=<hex> v1=<hex>` (one per secret, newest first). */
export function signatureHeaders(secrets: string[], body: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: secrets.map((s) => `v1=${hmac(s, timestamp, body)}`).join(' ') };
}

/** The receiver's check (as README's recipe does it): why the request is refused, or null when it is genuine. */
export function verifySignature(secrets: string[], headers: { signature?: string; timestamp?: string }, body: string, now = new Date()): string | null {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return 'missing signature or timestamp';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'timestamp outside the tolerance (a replay, or a clock off)';
  const given = signature.split(' ').filter((p) => p.startsWith('v1=')).map((p) => Buffer.from(p.slice(3), 'hex'));
  const ok = secrets.some((s) => {
    const expected = Buffer.from(hmac(s, timestamp, body), 'hex');
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
  return ok ? null : 'no signature matches';
}
