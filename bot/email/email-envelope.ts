import { z } from 'zod';

const addressSchema = z.strictObject({ address: z.string().min(1).max(1000), name: z.string().max(1000).optional() });

/**
 * One fetched mail as the mailbox reader hands it to the adapter: what mailparser read from the
 * RFC 5322 source (https://www.rfc-editor.org/rfc/rfc5322), as JSON. The adapter's parse is
 * synchronous and mailparser is not, so the reader parses and the adapter only judges and
 * normalizes; the bytes of the attachments stay with the reader, which keeps them.
 */
export const emailEnvelopeSchema = z.strictObject({
  /** Message-ID as written, angle brackets included; absent on the rare mail without one. */
  messageId: z.string().max(2000).optional(),
  /** SHA-256 of the raw source, hex: the identity of a mail without a Message-ID. */
  sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The Date header, when it could be read. */
  date: z.iso.datetime({ offset: true }).optional(),
  /** When the mailbox received it (IMAP INTERNALDATE). */
  receivedAt: z.iso.datetime({ offset: true }),
  from: addressSchema.optional(),
  to: z.array(addressSchema).max(500),
  cc: z.array(addressSchema).max(500),
  replyTo: addressSchema.optional(),
  subject: z.string().max(10_000),
  inReplyTo: z.string().max(2000).optional(),
  references: z.array(z.string().max(2000)).max(500),
  /** The top-level Content-Type, lower-cased, and its report-type parameter (RFC 6522). */
  contentType: z.string().max(200),
  reportType: z.string().max(200).optional(),
  /** The headers that tell a machine's mail from a person's, lower-cased names. */
  headers: z.record(z.string().max(100), z.string().max(2000)),
  text: z.string().max(5_000_000).optional(),
  html: z.string().max(20_000_000).optional(),
  attachments: z
    .array(
      z.strictObject({
        fileName: z.string().max(1000).optional(),
        contentType: z.string().max(200),
        size: z.number().int().nonnegative(),
      }),
    )
    .max(500),
  /**
   * The machine-readable parts of a report (message/delivery-status, the returned message or its
   * headers), as text: where a bounce names the message that failed and why.
   */
  reportParts: z.array(z.string().max(200_000)).max(20),
});
export type EmailEnvelope = z.infer<typeof emailEnvelopeSchema>;
