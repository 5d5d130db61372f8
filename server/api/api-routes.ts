import type { AnyRoute } from './define-route.js';

/**
 * Every /api/v1 route, from each domain's own routes file. The router, the OpenAPI description
 * and the permission-matrix test all read this one list.
 */
export const apiRoutes: AnyRoute[] = [];
