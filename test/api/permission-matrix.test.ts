import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../server/api/api-routes.js';
import type { AnyRoute } from '../../server/api/define-route.js';
import { can, ROLES, type Role } from '../../server/auth/permissions.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

function allows(route: AnyRoute, role: Role): boolean {
  return route.access === 'public' || route.access === 'authenticated' || can(role, route.access);
}

/** A syntactically valid, harmless request: random ids for path parameters, an empty body. */
function harmlessPath(route: AnyRoute): string {
  return route.path.replace(/:(\w+)/g, () => new Types.ObjectId().toHexString());
}

function harmlessBody(route: AnyRoute): unknown {
  return route.method === 'get' || route.method === 'delete' ? undefined : {};
}

// Signing out ends the shared session of a role's client, so it is called last.
const endsSession = (route: AnyRoute) => route.path === '/auth/logout';
const routes = [...apiRoutes].sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
const label = (route: AnyRoute) => `${route.method.toUpperCase()} ${route.path} (${route.access})`;

describe('the permission matrix', () => {
  let api: TestApi;
  const clients = {} as Record<Role, ApiClient>;
  beforeAll(async () => {
    api = await startTestApi();
    for (const role of ROLES) clients[role] = await api.as(role);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should cover the routes of every domain', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.some((route) => route.path === '/users')).toBe(true);
  });

  it.each(['conversations.reassign', 'canned.manage'] as const)(
    'should keep %s to managers and admins: operators work their own conversations and personal canned responses',
    (permission) => {
      expect(ROLES.filter((role) => can(role, permission))).toEqual(['admin', 'manager']);
    },
  );

  it.each(routes.filter((route) => route.access !== 'public').map((route) => [label(route), route] as const))(
    'should answer %s with 401 to anonymous callers',
    async (_, route) => {
      const response = await api.anonymous().request(route.method, harmlessPath(route), harmlessBody(route));
      expect(response.status).toBe(401);
    },
  );

  describe.each(ROLES)('as %s', (role) => {
    it.each(routes.map((route) => [label(route), route] as const))(
      'should guard %s as the matrix says',
      async (_, route) => {
        const response = await clients[role].request(route.method, harmlessPath(route), harmlessBody(route));
        if (allows(route, role)) {
          expect([401, 403], JSON.stringify(response.body)).not.toContain(response.status);
        } else {
          expect(response.status).toBe(403);
          expect(response.body.error.code).toBe('forbidden');
        }
      },
    );
  });
});
