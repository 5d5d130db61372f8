import { z } from 'zod';
import { MEDIA_KINDS } from '../channels/channel-events.js';

/** The files endpoint's 201 answer: the widget sends its fields back as the message's `file`. */
export const storedUploadSchema = z.object({
  fileId: z.string().min(1).max(200),
  /** Where the widget shows or links the file from. */
  url: z.string().min(1).max(2000),
  kind: z.enum(MEDIA_KINDS),
  mimeType: z.string().max(200),
  fileName: z.string().max(300),
  size: z.number().int().nonnegative(),
});
export type StoredUpload = z.infer<typeof storedUploadSchema>;
