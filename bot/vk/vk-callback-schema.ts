import { z } from 'zod';

/**
 * The parts of VK's Callback API events the inbox reads
 * (https://dev.vk.com/api/community-events/json-schema), in the shape of API version 5.103 and
 * later, where `message_new` wraps the message as `object.message`. Objects are not strict: VK adds
 * fields without notice.
 */

const unixSeconds = z
  .number()
  .int()
  .nonnegative()
  .transform((seconds) => new Date(seconds * 1000));

const sizedImage = z.object({ url: z.string().min(1), width: z.number(), height: z.number() });

/** https://dev.vk.com/reference/objects/photo: `sizes` in several widths; newer versions add `orig_photo`. */
const photoSchema = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  access_key: z.string().optional(),
  sizes: z.array(sizedImage.extend({ type: z.string().optional() })).optional(),
  orig_photo: sizedImage.optional(),
});
export type VkPhoto = z.infer<typeof photoSchema>;

/** https://dev.vk.com/reference/objects/doc: `url` downloads the file. */
const docSchema = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  title: z.string(),
  size: z.number().int().nonnegative(),
  ext: z.string(),
  url: z.string().min(1),
  access_key: z.string().optional(),
});

/** A voice message recorded in VK: an OGG/Opus and an MP3 link to the same recording. */
const audioMessageSchema = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  duration: z.number().int().nonnegative().optional(),
  link_ogg: z.string().min(1).optional(),
  link_mp3: z.string().min(1).optional(),
});

/** Videos have no file link for a community token; the inbox shows a link to the video page instead. */
const videoSchema = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  title: z.string().optional(),
  access_key: z.string().optional(),
});

const stickerSchema = z.object({
  sticker_id: z.number().int(),
  images: z.array(sizedImage).optional(),
});

export const vkAttachmentSchema = z.object({
  type: z.string().min(1),
  photo: photoSchema.optional(),
  doc: docSchema.optional(),
  audio_message: audioMessageSchema.optional(),
  video: videoSchema.optional(),
  sticker: stickerSchema.optional(),
  audio: z.object({ artist: z.string().optional(), title: z.string().optional() }).optional(),
});
export type VkAttachment = z.infer<typeof vkAttachmentSchema>;

/** https://dev.vk.com/reference/objects/message */
export const vkMessageSchema = z.object({
  /** The message id in the community's dialogs; 0 for messages in group chats. */
  id: z.number().int().nonnegative(),
  date: unixSeconds,
  /** Where replies go: the user id in a private dialog, 2000000000 + chat id in a group chat. */
  peer_id: z.number().int(),
  /** The author: a user id (a community's id is negative). */
  from_id: z.number().int(),
  text: z.string(),
  /** The message's number within its conversation: the only id of a group-chat message. */
  conversation_message_id: z.number().int().nonnegative().optional(),
  attachments: z.array(vkAttachmentSchema).default([]),
  geo: z
    .object({
      coordinates: z.object({ latitude: z.number(), longitude: z.number() }),
      place: z.object({ title: z.string().optional(), city: z.string().optional() }).optional(),
    })
    .optional(),
  /** Set when the message is a tap on a keyboard button: the button's payload, a JSON string. */
  payload: z.string().optional(),
  /** The `ref` parameter of the vk.me link the person came through, for telling where leads come from. */
  ref: z.string().optional(),
  ref_source: z.string().optional(),
  reply_message: z.object({ id: z.number().int().optional() }).optional(),
  fwd_messages: z.array(z.unknown()).optional(),
  /** A service message in a group chat (someone joined, the title changed). */
  action: z.object({ type: z.string() }).optional(),
});
export type VkMessage = z.infer<typeof vkMessageSchema>;

export const vkMessageNewSchema = z.object({
  message: vkMessageSchema,
  /** What the person's VK app can show; `lang_id` is their interface language (0 Russian, 3 English). */
  client_info: z.object({ lang_id: z.number().int().optional() }).optional(),
});

/** message_allow and message_deny: the person allowed or forbade messages from the community. */
export const vkMessagePermissionSchema = z.object({ user_id: z.number().int() });

/** Every event: the type decides the shape of `object`, read only after the type is known. */
export const vkCallbackSchema = z.object({
  type: z.string().min(1),
  group_id: z.number().int(),
  /** Unique per event; a redelivered event repeats it. */
  event_id: z.string().optional(),
  v: z.string().optional(),
  /** The Callback API secret key, when one is set. */
  secret: z.string().optional(),
  object: z.unknown().optional(),
});
export type VkCallback = z.infer<typeof vkCallbackSchema>;
