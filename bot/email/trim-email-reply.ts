import EmailReplyParser from 'email-reply-parser';

/**
 * Where the quoted history starts in mail written in Russian, which email-reply-parser's
 * patterns (English and other European languages) miss: Gmail's and Yandex's "пн, 1 янв. 2024 г.
 * в 10:00, Анна <anna@example.ru>:", Mail.ru's "Понедельник, 1 января 2024, 10:00 +03:00 от
 * Анна <anna@example.ru>:", "… пишет:" / "… написал(а):", Outlook's "-----Исходное сообщение-----".
 */
const QUOTE_HEADERS = [
  /^.{0,300}<[^<>\s@]+@[^<>\s]+>\s*:\s*$/m,
  /^.{0,300}\s(пишет|написал|написала|написал\(а\))\s*:\s*$/im,
  /^-{2,}\s*(Исходное сообщение|Пересылаемое сообщение|Original Message|Forwarded message)\s*-{2,}\s*$/im,
];

/** What phone mail apps add under the text: "Отправлено с iPhone", "Отправлено из мобильной Почты Mail.ru". */
const DEVICE_SIGNATURE = /^\s*(Отправлено|Sent)\s+(с|из|from)\s+.{1,80}$/im;

/** A sign-off and the few lines of name and position under it, at the end of the text. */
const SIGN_OFF =
  /^\s*(С уважением|С наилучшими пожеланиями|Всего доброго|Best regards|Kind regards|Regards)[,.!]?\s*$(\n.{0,120}){0,6}\s*$/im;

/** The new words of a reply: without the quoted history and the signature. */
export function trimEmailReply(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n');
  const cut = QUOTE_HEADERS.reduce((end, pattern) => {
    const match = pattern.exec(normalized);
    return match && match.index < end ? match.index : end;
  }, normalized.length);
  let reply = new EmailReplyParser().parseReply(normalized.slice(0, cut));
  const device = DEVICE_SIGNATURE.exec(reply);
  if (device) reply = reply.slice(0, device.index);
  const signOff = SIGN_OFF.exec(reply.trimEnd());
  if (signOff && signOff.index > 0) reply = reply.slice(0, signOff.index);
  const trimmed = reply.trim();
  // A mail that is all quote (a bare forward) still shows something.
  return trimmed || normalized.trim();
}
