/** The socket.io namespace of the site chat widget; these ids address its rooms. */
export const VISITOR_NAMESPACE = '/visitor';

/** The socket.io room of one visitor's open widgets (all tabs): replies and typing go here. */
export function visitorRoom(channelId: string, visitorId: string): string {
  return `webchat:${channelId}:${visitorId}`;
}

/** The room of every open widget of a channel: presence changes go here. */
export function visitorChannelRoom(channelId: string): string {
  return `webchat:${channelId}`;
}
