import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local stand-in for OpenAI's chat completions endpoint (https://platform.openai.com/docs/api-reference/chat/create):
 * `POST /v1/chat/completions` with a Bearer key, answered with a `chat.completion` object or with
 * OpenAI's error shape `{ error: { message, type, param, code } }`. Each request takes the next
 * scripted reply; tests point the real `openai` SDK at it through `baseURL`.
 */

export type ScriptedReply =
  /** The model's message content: an object is sent as its JSON text, a string as it is (malformed JSON). */
  | { kind: 'content'; content: unknown }
  /** Structured outputs' refusal: `message.refusal` set and `content` null. */
  | { kind: 'refusal'; refusal: string }
  /** An HTTP error as OpenAI sends it, e.g. 429 rate_limit_exceeded with retry-after. */
  | { kind: 'error'; status: number; code: string; message?: string; retryAfterSeconds?: number }
  /** Never answers (until the client gives up or the stand-in closes). */
  | { kind: 'hang' };

export interface RecordedCompletionRequest {
  authorization: string | undefined;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
    [key: string]: unknown;
  };
}

export interface OpenAiApiStandIn {
  /** What the SDK's `baseURL` takes: http://127.0.0.1:<port>/v1. */
  baseURL: string;
  apiKey: string;
  /** Queues replies for the next requests, in order; without one a request gets a 500. */
  script(...replies: ScriptedReply[]): void;
  requests(): RecordedCompletionRequest[];
  close(): Promise<void>;
}

export async function startOpenAiApi(options: { apiKey?: string } = {}): Promise<OpenAiApiStandIn> {
  const apiKey = options.apiKey ?? `sk-test-${randomBytes(12).toString('hex')}`;
  const queue: ScriptedReply[] = [];
  const recorded: RecordedCompletionRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return error(res, 404, 'invalid_request_error', 'unknown_url', `Unknown request URL: ${req.method} ${req.url}`);
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return error(res, 401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
    }
    const body = JSON.parse(raw) as RecordedCompletionRequest['body'];
    recorded.push({ authorization: req.headers.authorization, body });
    const reply = queue.shift();
    if (!reply) return error(res, 500, 'server_error', 'no_script', 'The stand-in has no scripted reply');
    switch (reply.kind) {
      case 'hang':
        return;
      case 'error':
        return error(res, reply.status, 'requests', reply.code, reply.message ?? reply.code, reply.retryAfterSeconds);
      case 'refusal':
        return completion(res, body.model, null, reply.refusal);
      case 'content':
        return completion(
          res,
          body.model,
          typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content),
          null,
        );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => error(res, 500, 'server_error', 'stand_in', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The OpenAI stand-in is not listening on TCP');

  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    apiKey,
    script: (...replies) => queue.push(...replies),
    requests: () => [...recorded],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function completion(res: ServerResponse, model: string | undefined, content: string | null, refusal: string | null) {
  reply(res, 200, {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model ?? 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  });
}

function error(
  res: ServerResponse,
  status: number,
  type: string,
  code: string,
  message: string,
  retryAfterSeconds?: number,
) {
  reply(
    res,
    status,
    { error: { message, type, param: null, code } },
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
