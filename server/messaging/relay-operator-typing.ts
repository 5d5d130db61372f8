import { Types } from 'mongoose';
import { visitorRoom } from '../../bot/webchat/visitor-room.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import type { RealtimePublisher } from '../realtime/realtime-publisher.js';
import { roomsOfConversation } from '../realtime/inbox-rooms.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';

/**
 * An operator types in a conversation: colleagues watching it see who, and a site visitor sees
 * "the operator is typing" (messengers have no such signal for bots to send).
 */
export async function relayOperatorTyping(
  services: Pick<ApiServices, 'db'>,
  publisher: RealtimePublisher,
  user: AuthUser,
  conversationId: string,
  typing: boolean,
): Promise<void> {
  const conversation = await conversationModel(services.db)
    .findById(new Types.ObjectId(conversationId))
    .lean<ConversationRecord>();
  if (!conversation) return;
  const rooms = roomsOfConversation(conversation);
  publisher.emit('/inbox', rooms, 'typing', {
    conversationId,
    typing,
    who: 'user',
    user: { id: user.id, name: user.name },
  });
  if (conversation.channel !== 'webchat') return;
  publisher.emit(
    '/visitor',
    [visitorRoom(conversation.channelAccountId.toHexString(), conversation.chatId)],
    'typing',
    {
      typing,
      author: { kind: 'user', name: user.name },
    },
  );
}
