import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Language } from '../../flows/schema/define-texts.js';
import type { Permission, Role } from '../auth/permissions.js';
import type { ApiServices } from './api-services.js';

/** The person (or API token) a request acts for. */
export interface AuthUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamIds: string[];
  /** Set when the request came with a personal API token: only these permissions apply. */
  tokenScopes?: Permission[];
}

/** Finds who a request acts for (session cookie or bearer token); undefined for anonymous. */
export type Authenticator = (req: Request, res: Response) => Promise<AuthUser | undefined>;

export type Access = 'public' | 'authenticated' | Permission;

/**
 * Lets browsers on other sites call a route: resolves when the request's Origin may (the router
 * then answers the preflight and adds Access-Control-Allow-Origin), throws an ApiError otherwise.
 * Runs before the body is read, so a refused site does not get to send it.
 */
export type CorsCheck = (req: Request, services: ApiServices) => Promise<void>;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present unless the route is public. */
  user: AuthUser;
  /** The language the person reads (Accept-Language): validation messages are worded in it. */
  language: Language;
  services: ApiServices;
  req: Request;
  res: Response;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  PS extends Schema | undefined,
  QS extends Schema | undefined,
  BS extends Schema | undefined,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express path below /api/v1, e.g. '/contacts/:id'. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Documents the success response in the OpenAPI description. */
  response?: Schema;
  /** Success status (200 by default; 201 for creations). */
  status?: number;
  /** Largest body the route takes, in bytes (MAX_JSON_BYTES unless a route carries files). */
  maxBodyBytes?: number;
  /**
   * 'raw': the body is the request's bytes (a file upload), handed to the handler as a Buffer.
   * 'json-or-form': JSON or an HTML form's application/x-www-form-urlencoded, validated by `body` alike.
   */
  bodyKind?: 'json' | 'raw' | 'json-or-form';
  /** Cross-origin callers (a site's own pages); see CorsCheck. */
  cors?: CorsCheck;
  /**
   * A public route for site visitors: no session is read, so an inbox cookie the browser happens
   * to carry (a form on the inbox's own site) neither applies nor trips the CSRF check.
   */
  sessionless?: boolean;
  handler: (ctx: RouteContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<unknown>;
}

// Routes of different shapes live in one list; each was type-checked where it was defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

/** Declares a route: the schemas validate the request, type the handler and document the API. */
export function defineRoute<
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
>(spec: RouteSpec<PS, QS, BS>): RouteSpec<PS, QS, BS> {
  return spec;
}
