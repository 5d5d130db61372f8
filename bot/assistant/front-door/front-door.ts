import type { Logger } from 'pino';
import type { DomainFlowEvent } from '../../../flows/index.js';
import type { ApiServices } from '../../../server/api/api-services.js';
import { contactModels, type ContactRecord } from '../../../server/contacts/contact-models.js';
import type { FrontDoorGate } from '../../../server/flows/front-door-gate.js';
import { conversationModel, type ConversationRecord } from '../../../server/messaging/conversation-model.js';
import { recordBotStarted } from '../../../server/reports/events/record-bot-event.js';
import { detectLanguage } from '../extract/detect-language.js';
import { handOverToPerson, type Handover } from '../handoff/hand-over-to-person.js';
import type { LlmClient } from '../llm/llm-client.js';
import { answerFromKnowledge, workspaceKnowledge } from './answer-from-knowledge.js';
import { ensureLeadDeal } from './ensure-lead-deal.js';
import { hasQuestion, readReply } from './read-reply.js';
import { countUnsure, resetUnsure } from './unsure-streak.js';
import { waitingQuestion } from './waiting-question.js';
import { wantsPerson } from './wants-person.js';

/** How many unanswered questions in a row make the bot call a person. */
const UNSURE_BEFORE_HANDOFF = 2;
/** Fewer letters than this ("ок", "8") say nothing about the language. */
const LANGUAGE_MIN_LETTERS = 4;

/**
 * What the bot does with a client's message in a conversation it owns, before the flows see it:
 * remembers the language the client writes in (the flows answer in it), makes a first-time
 * client a lead, hands the conversation to a person when asked for one, and answers a question
 * from the knowledge base (see readReply: the flow then repeats the question it waits on, or reads
 * the answer given with the question); not sure twice in a row, it hands over too.
 */
export class FrontDoor implements FrontDoorGate {
  constructor(
    private readonly services: ApiServices,
    private readonly options: { llm?: LlmClient; logger?: Pick<Logger, 'warn'>; now?: () => Date } = {},
  ) {}

  async receive(event: Extract<DomainFlowEvent, { type: 'message.received' }> & { id: string }) {
    const { conversationId, contactId } = event.subject;
    if (!conversationId) return undefined;
    const conversation = await conversationModel(this.services.db).findById(conversationId).lean<ConversationRecord>();
    if (conversation?.handler !== 'bot') return undefined;
    const contact = await contactModels(this.services.db).Contact.findById(contactId).lean<ContactRecord>();
    if (!contact) return undefined;
    const now = this.options.now?.() ?? new Date();
    // The client's first message and the bot has the chat: one of the leads the bot report follows.
    if (event.first) await recordBotStarted(this.services.db, conversation, now);
    const language = await this.rememberLanguage(contact, event.text);
    await ensureLeadDeal(this.services, contact, language, now);
    const handover = { conversationId, contactId, key: event.id, language, now };
    if (wantsPerson(event.text)) return this.handOver(handover);
    // A tapped button is an answer whatever its caption says.
    if (event.buttonId) return undefined;
    // An answer ends a streak of questions the bot could not answer: "in a row" means in a row.
    // Most messages hold no question: they need neither the knowledge base nor the waiting step.
    if (!hasQuestion(event.text)) return void (await resetUnsure(this.services, conversationId));
    const index = await workspaceKnowledge(this.services, this.options.logger);
    const waiting = await waitingQuestion(this.services, { contactId, conversationId, language, now });
    const reading = readReply(event.text, {
      waiting,
      knows: (question) => index?.best(question, language) !== undefined,
    });
    if (reading.type === 'answer') return void (await resetUnsure(this.services, conversationId));
    // Without a knowledge base the bot only keeps a question from being taken for the answer to its own.
    if (!index && !waiting) return undefined;
    const reply = await answerFromKnowledge(
      this.services,
      index,
      { conversationId, text: reading.question, language, key: event.id },
      this.options,
    );
    if (reply === 'answered') await resetUnsure(this.services, conversationId);
    // Not sure twice in a row: a person will do better than a third guess.
    if (reply === 'unsure' && (await countUnsure(this.services, conversationId, event.id)) >= UNSURE_BEFORE_HANDOFF)
      return this.handOver(handover);
    // The answer in the same message is the flow's to read; a question alone is asked again.
    return reading.type === 'question' ? 'answered' : undefined;
  }

  private async handOver(handover: Handover): Promise<'handed-over' | undefined> {
    return (await handOverToPerson(this.services, handover, this.options)) ? 'handed-over' : undefined;
  }

  /** The language of what the client writes becomes the contact's (Telegram's language_code is the first guess). */
  private async rememberLanguage(contact: ContactRecord, text: string): Promise<'ru' | 'en'> {
    const known = contact.language === 'en' || contact.language === 'ru' ? contact.language : undefined;
    const letters = text.match(/\p{L}/gu)?.length ?? 0;
    if (letters < LANGUAGE_MIN_LETTERS || text.trim().startsWith('/')) return known ?? 'ru';
    const written = detectLanguage(text, known ?? 'ru');
    if (written !== known)
      await contactModels(this.services.db).Contact.updateOne({ _id: contact._id }, { $set: { language: written } });
    return written;
  }
}
