import * as z from 'zod/mini';

const segmentsSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number(),
  units: z.number(),
  perSegment: z.number(),
  remaining: z.number(),
  unicodeCharacters: z.array(z.string()),
});

/** How a text goes out as SMS, as the server counts it (bot/sms/count-sms-segments.ts). */
export type SmsSegments = z.infer<typeof segmentsSchema>;

/**
 * Asks the server how many SMS a reply takes on an SMS conversation; undefined when it cannot say
 * (offline, not an SMS conversation) or the request was given up for a newer text.
 */
export async function fetchSmsSegments(
  conversationId: string,
  text: string,
  options: { csrfToken?: string; signal?: AbortSignal },
): Promise<SmsSegments | undefined> {
  try {
    const response = await fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}/sms-segments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(options.csrfToken ? { 'x-csrf-token': options.csrfToken } : {}),
      },
      body: JSON.stringify({ text }),
      signal: options.signal,
    });
    if (!response.ok) return undefined;
    const body = segmentsSchema.safeParse(await response.json());
    return body.success ? body.data : undefined;
  } catch {
    return undefined;
  }
}
