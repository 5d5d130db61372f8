import { knowledgeSectionSchema, type KnowledgeSection } from './knowledge-section.js';

const KEYWORDS = /<!--\s*(?:слова|words|keywords)\s*:([\s\S]*?)-->/giu;

function slug(title: string): string {
  return title
    .toLocaleLowerCase('ru')
    .replace(/[^\p{L}\d]+/gu, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The sections of one knowledge file: each `## Heading` and the text under it up to the next
 * heading. The `#` title and the text before the first `##` describe the file and are not answers.
 */
export function parseKnowledgeMarkdown(markdown: string, file: string, language: 'ru' | 'en'): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  const parts = markdown.split(/^##\s+/m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const title = (newline === -1 ? part : part.slice(0, newline)).trim();
    const body = newline === -1 ? '' : part.slice(newline + 1);
    const keywords = [...body.matchAll(KEYWORDS)].map((match) => match[1]!.trim()).join(', ');
    const text = body
      .replace(KEYWORDS, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (!title || !text) continue;
    sections.push(knowledgeSectionSchema.parse({ id: `${file}#${slug(title)}`, language, title, text, keywords }));
  }
  return sections;
}
