import { z } from 'zod';

/**
 * The parts of a Telegram `Update` the adapter reads (https://core.telegram.org/bots/api#update).
 * Objects are loose: Telegram adds fields with every Bot API release, and an unknown field must
 * never turn a real update into a malformed one.
 */

const telegramIdSchema = z.number().int();
const fileSizeSchema = z.number().int().nonnegative();

export const telegramUserSchema = z.looseObject({
  id: telegramIdSchema,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export type TelegramUser = z.infer<typeof telegramUserSchema>;

export const telegramChatSchema = z.looseObject({
  id: telegramIdSchema,
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
export type TelegramChat = z.infer<typeof telegramChatSchema>;

const fileSchema = z.looseObject({ file_id: z.string().min(1), file_size: fileSizeSchema.optional() });

const inlineKeyboardSchema = z.looseObject({
  inline_keyboard: z.array(z.array(z.looseObject({ text: z.string(), callback_data: z.string().optional() }))),
});

const locationSchema = z.looseObject({ latitude: z.number(), longitude: z.number() });

export const telegramMessageSchema = z.looseObject({
  message_id: telegramIdSchema,
  from: telegramUserSchema.optional(),
  /** Set instead of a person for anonymous group admins and channel posts. */
  sender_chat: telegramChatSchema.optional(),
  date: z.number().int(),
  chat: telegramChatSchema,
  reply_to_message: z.looseObject({ message_id: telegramIdSchema }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  /** Sizes of one photo, from the thumbnail up. */
  photo: z.array(fileSchema.extend({ width: z.number(), height: z.number() })).optional(),
  document: fileSchema.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  voice: fileSchema.extend({ mime_type: z.string().optional() }).optional(),
  audio: fileSchema.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  video: fileSchema.extend({ file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  video_note: fileSchema.optional(),
  sticker: fileSchema.extend({ is_animated: z.boolean(), is_video: z.boolean() }).optional(),
  location: locationSchema.optional(),
  venue: z.looseObject({ location: locationSchema, title: z.string(), address: z.string() }).optional(),
  contact: z
    .looseObject({
      phone_number: z.string(),
      first_name: z.string(),
      last_name: z.string().optional(),
      user_id: telegramIdSchema.optional(),
    })
    .optional(),
  reply_markup: inlineKeyboardSchema.optional(),
});
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

export const telegramCallbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: telegramUserSchema,
  /** The message with the button; an InaccessibleMessage (date 0, chat only) when too old. */
  message: z
    .looseObject({
      message_id: telegramIdSchema,
      chat: telegramChatSchema,
      reply_markup: inlineKeyboardSchema.optional(),
    })
    .optional(),
  /** Absent for game buttons, which we never send. */
  data: z.string().optional(),
});
export type TelegramCallbackQuery = z.infer<typeof telegramCallbackQuerySchema>;

export const telegramChatMemberUpdatedSchema = z.looseObject({
  chat: telegramChatSchema,
  from: telegramUserSchema,
  date: z.number().int(),
  new_chat_member: z.looseObject({ status: z.string() }),
});

export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: telegramMessageSchema.optional(),
  callback_query: telegramCallbackQuerySchema.optional(),
  my_chat_member: telegramChatMemberUpdatedSchema.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

/** The update kinds the adapter reads: Telegram sends no others (setWebhook / getUpdates `allowed_updates`). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
