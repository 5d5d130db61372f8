/**
 * Who creates or changes a contact: a user (an AuthUser fits) or null for the system (the bot,
 * channel ingest, imports). A user's teams become a new contact's teams unless the input names some.
 */
export type ContactActor = { id: string; name: string; teamIds?: string[] } | null;
