import type { IncomingMessage } from 'node:http';
import { TelegramApiFailure } from './telegram-api-failure.js';

/** A file sent as a multipart part. */
export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}

/** A Bot API call's parameters: query string, then the body's fields over them. */
export type BotApiParams = Map<string, unknown>;

/** Telegram's own cap on an uploaded file is 50 MB (https://core.telegram.org/bots/api#sending-files). */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * The parameters of one call, in any of the four ways Telegram takes them
 * (https://core.telegram.org/bots/api#making-requests): query string, application/json,
 * application/x-www-form-urlencoded, multipart/form-data (the only one that carries files).
 */
export async function readBotApiParams(req: IncomingMessage, url: URL): Promise<BotApiParams> {
  const params: BotApiParams = new Map(url.searchParams);
  for (const [key, value] of await readBody(req)) params.set(key, value);
  return params;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringParam(params: BotApiParams, name: string): string | undefined {
  const value = params.get(name);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function booleanParam(params: BotApiParams, name: string): boolean {
  const value = params.get(name);
  return value === true || value === 'true';
}

export function intParam(params: BotApiParams, name: string): number | undefined {
  const value = params.get(name);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** Form and query parameters carry objects as JSON-serialized strings. */
export function jsonParam(params: BotApiParams, name: string): unknown {
  const value = params.get(name);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new TelegramApiFailure(400, `Bad Request: can't parse ${name} JSON object`);
  }
}

/** chat_id as an integer: this sandbox has no @channel usernames. */
export function chatIdParam(params: BotApiParams): number {
  const raw = params.get('chat_id');
  if (raw === undefined || raw === '') throw new TelegramApiFailure(400, 'Bad Request: chat_id is empty');
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  if (id === undefined || !Number.isSafeInteger(id)) throw new TelegramApiFailure(400, 'Bad Request: chat not found');
  return id;
}

export function isUpload(value: unknown): value is UploadedFile {
  return isRecord(value) && Buffer.isBuffer(value.bytes) && typeof value.fileName === 'string';
}

async function readBody(req: IncomingMessage): Promise<Map<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new TelegramApiFailure(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  const body = Buffer.concat(chunks);
  if (body.length === 0) return new Map();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new TelegramApiFailure(400, "Bad Request: can't parse JSON body");
    }
    if (!isRecord(json)) throw new TelegramApiFailure(400, 'Bad Request: parameters must be a JSON object');
    return new Map(Object.entries(json));
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return new Map(new URLSearchParams(body.toString('utf8')));
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(body, boundary[1] ?? boundary[2] ?? '');
  throw new TelegramApiFailure(400, 'Bad Request: unsupported content type');
}

/**
 * multipart/form-data (RFC 7578), read as leniently as Telegram's server does: grammy writes
 * `content-disposition:form-data;name="x";filename=y` without spaces or quotes, which the
 * Request.formData() of Node 20 refuses.
 */
function parseMultipart(body: Buffer, boundary: string): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const first = body.indexOf(`--${boundary}`);
  if (first < 0) throw new TelegramApiFailure(400, 'Bad Request: multipart boundary not found');
  let position = first + delimiter.length - 2;
  while (body.subarray(position, position + 2).toString() !== '--') {
    const start = position + 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw new TelegramApiFailure(400, 'Bad Request: unterminated multipart body');
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, Math.max(headerEnd, 0)).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line)) ?? '';
    const name = dispositionParam(disposition, 'name');
    const fileName = dispositionParam(disposition, 'filename');
    if (name !== undefined) {
      fields.set(name, fileName === undefined ? content.toString('utf8') : { fileName, bytes: Buffer.from(content) });
    }
    position = end + delimiter.length;
  }
  return fields;
}

function dispositionParam(header: string, param: string): string | undefined {
  const match = new RegExp(`;\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
  return match ? (match[1] ?? match[2]?.trim()) : undefined;
}
