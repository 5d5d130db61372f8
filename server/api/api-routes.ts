import { appointmentRoutes } from '../appointments/appointment-routes.js';
import { auditRoutes } from '../audit/audit-routes.js';
import { broadcastRoutes } from '../broadcasts/broadcast-routes.js';
import { followUpRoutes } from '../campaigns/follow-up-routes.js';
import { cannedResponseRoutes } from '../canned/canned-response-routes.js';
import { channelRoutes } from '../channels/channel-routes.js';
import { authRoutes } from '../auth/auth-routes.js';
import { tokenRoutes } from '../auth/token-routes.js';
import { companyRoutes } from '../companies/company-routes.js';
import { contactRoutes } from '../contacts/contact-routes.js';
import { customFieldRoutes } from '../custom-fields/custom-field-routes.js';
import { dealRoutes } from '../deals/deal-routes.js';
import { exportRoutes } from '../exports/export-routes.js';
import { fileRoutes } from '../files/file-routes.js';
import { flowRoutes } from '../flows/flow-routes.js';
import { flowTemplateRoutes } from '../flows/flow-template-routes.js';
import { flowRunRoutes } from '../flows/flow-run-routes.js';
import { formRoutes } from '../forms/form-routes.js';
import { importRoutes } from '../imports/import-routes.js';
import { leadRoutes } from '../leads/lead-routes.js';
import { conversationActionRoutes } from '../messaging/conversation-action-routes.js';
import { conversationRoutes } from '../messaging/conversation-routes.js';
import { emailMessageRoutes } from '../messaging/email-message-routes.js';
import { noteRoutes } from '../notes/note-routes.js';
import { notificationRoutes } from '../notifications/notification-routes.js';
import { paymentScheduleRoutes } from '../payments/payment-schedule-routes.js';
import { pipelineRoutes } from '../pipelines/pipeline-routes.js';
import { presenceRoutes } from '../presence/presence-routes.js';
import { reportRoutes } from '../reports/report-routes.js';
import { searchRoutes } from '../search/search-routes.js';
import { segmentRoutes } from '../segments/segment-routes.js';
import { securityRoutes } from '../security/security-routes.js';
import { smsRoutes } from '../sms/sms-routes.js';
import { taskRoutes } from '../tasks/task-routes.js';
import { teamRoutes } from '../users/team-routes.js';
import { userRoutes } from '../users/user-routes.js';
import { csatRoutes } from '../csat/csat-routes.js';
import type { AnyRoute } from './define-route.js';

/**
 * Every /api/v1 route, from each domain's own routes file. The router, the OpenAPI description
 * and the permission-matrix test all read this one list.
 */
export const apiRoutes: AnyRoute[] = [
  ...authRoutes,
  ...tokenRoutes,
  ...userRoutes,
  ...teamRoutes,
  ...auditRoutes,
  ...contactRoutes,
  ...companyRoutes,
  ...noteRoutes,
  ...notificationRoutes,
  ...customFieldRoutes,
  ...pipelineRoutes,
  ...dealRoutes,
  ...leadRoutes,
  ...formRoutes,
  ...taskRoutes,
  ...appointmentRoutes,
  ...paymentScheduleRoutes,
  ...exportRoutes,
  ...securityRoutes,
  ...importRoutes,
  ...channelRoutes,
  ...conversationRoutes,
  ...conversationActionRoutes,
  ...cannedResponseRoutes,
  ...presenceRoutes,
  ...searchRoutes,
  ...csatRoutes,
  ...segmentRoutes,
  ...emailMessageRoutes,
  ...smsRoutes,
  ...fileRoutes,
  ...flowTemplateRoutes,
  ...flowRoutes,
  ...flowRunRoutes,
  ...broadcastRoutes,
  ...followUpRoutes,
  ...reportRoutes,
];
