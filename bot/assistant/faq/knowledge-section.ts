import { z } from 'zod';

/** One answer of the knowledge base: a `##` section of a template's markdown file. */
export const knowledgeSectionSchema = z.object({
  /** `<file>#<slug of the heading>`, stable while the heading stays. */
  id: z.string().min(1),
  language: z.enum(['ru', 'en']),
  title: z.string().min(1),
  /** The answer as the client sees it. */
  text: z.string().min(1),
  /** Words that help find it ("<!-- слова: … -->"), never shown. */
  keywords: z.string(),
});
export type KnowledgeSection = z.infer<typeof knowledgeSectionSchema>;
