import { z } from 'zod';
import type { AnyRoute } from './define-route.js';

const LANGUAGE_NOTE =
  'Messages follow the Accept-Language header: ru or en, English when it is absent or accepts neither. Codes are the same in both.';

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'What went wrong, for programs: the same whatever the language' },
        message: { type: 'string', description: `For people. ${LANGUAGE_NOTE}` },
        details: { description: 'A validation_failed lists its problems here: { in, path, message }, worded alike' },
      },
      required: ['code', 'message'],
    },
  },
};

function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = toJsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function bodyContent(route: AnyRoute, schema: Record<string, unknown>): Record<string, unknown> {
  const json = { 'application/json': { schema } };
  return route.bodyKind === 'json-or-form' ? { ...json, 'application/x-www-form-urlencoded': { schema } } : json;
}

/** OpenAPI 3.1 description of the API, generated from the same zod schemas that validate it. */
export function buildOpenApi(routes: AnyRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const status = String(route.status ?? 200);
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : {}),
      'x-permission': route.access,
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: bodyContent(route, toJsonSchema(route.body)) } } : {}),
      responses: {
        [status]: {
          description: 'Success',
          ...(route.response ? { content: { 'application/json': { schema: toJsonSchema(route.response) } } } : {}),
        },
        default: { description: `Error. ${LANGUAGE_NOTE}`, content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sid' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
