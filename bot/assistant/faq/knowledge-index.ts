import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import snowball from 'snowball-stemmers';
import { PROJECT_ROOT } from '../../../server/paths.js';
import type { KnowledgeSection } from './knowledge-section.js';
import { parseKnowledgeMarkdown } from './parse-knowledge-markdown.js';

const stemmers = { ru: snowball.newStemmer('russian') };

/* Words that carry no topic: a question made only of them matches nothing. */
const STOP_WORDS = new Set(
  `а без более бы был была были было быть в вам вас весь во вот все всё всего вы где да даже для до его ее её если
  есть еще ещё же за здесь и из или им их к как ко когда кто ли либо мне может мы на над надо наш не него нее неё нет
  ни них но ну о об однако он она они оно от очень по под при про с со так также такой там те тем то того тоже той
  только том ту ты у уже хотя чего чей чем что чтобы чье чья эта эти это я ваш ваша ваше ваши можно нужно хочу
  подскажите скажите пожалуйста здравствуйте привет добрый день какой какая какие каков сколько
  a an and are as at be by can do does for from have how i in is it me my of on or our please the to we what
  when where which who will with would you your tell hello hi there offer provide any there`.split(/\s+/),
);

/*
 * Russian needs a real stemmer (окно, окна, окон). English only loses its plural: Porter would
 * make "installments" and "installation" one word and mix up two answers.
 */
function stem(word: string): string {
  if (/\p{Script=Cyrillic}/u.test(word)) return stemmers.ru.stem(word.replace(/ё/g, 'е'));
  return word.length > 3 ? word.replace(/(?:ies)$/, 'y').replace(/(?<!s)s$/, '') : word;
}

/** Lower case, no stop words, Russian or English stem: the same for the sections and the question. */
function processTerm(term: string): string | null {
  const word = term.toLocaleLowerCase('ru');
  if (word.length < 2 || STOP_WORDS.has(word)) return null;
  return stem(word);
}

export interface KnowledgeHit {
  section: KnowledgeSection;
  score: number;
  /** Share of the question's topic words found in the section, 0…1. */
  coverage: number;
}

/**
 * When a section counts as the answer: it covers the whole question with some weight, or half of
 * it with a clear weight. Below that the bot says it is not sure rather than answer off-topic
 * ("где купить хлеб" must not get the flat-buying section).
 */
export function passesThreshold(hit: Pick<KnowledgeHit, 'score' | 'coverage'>): boolean {
  return (hit.coverage >= 0.99 && hit.score >= 4) || (hit.coverage >= 0.5 && hit.score >= 10);
}

/**
 * Full-text search over one template's knowledge base (minisearch, BM25): the heading and the
 * keywords weigh more than the body. Sections in the client's language are searched first.
 */
export class KnowledgeIndex {
  private readonly search = new MiniSearch<KnowledgeSection>({
    fields: ['title', 'keywords', 'text'],
    storeFields: ['id'],
    processTerm,
    searchOptions: { boost: { title: 3, keywords: 2 }, prefix: (term) => term.length >= 5, fuzzy: 0.15, processTerm },
  });
  private readonly byId = new Map<string, KnowledgeSection>();

  constructor(sections: readonly KnowledgeSection[]) {
    this.search.addAll(sections);
    for (const section of sections) this.byId.set(section.id, section);
  }

  get size(): number {
    return this.byId.size;
  }

  section(id: string): KnowledgeSection | undefined {
    return this.byId.get(id);
  }

  /** Sections matching the question, best first, with how much of the question each covers. */
  find(question: string, language: 'ru' | 'en', limit = 3): KnowledgeHit[] {
    const terms = [
      ...new Set((question.match(/[\p{L}\d]+/gu) ?? []).map(processTerm).filter((t): t is string => t !== null)),
    ];
    if (terms.length === 0) return [];
    const hits = this.search
      .search(question, { filter: (result) => this.byId.get(String(result.id))?.language === language })
      .map((result) => ({
        section: this.byId.get(String(result.id))!,
        score: result.score,
        coverage: new Set(result.queryTerms).size / terms.length,
      }));
    return hits.slice(0, limit);
  }

  /** The one section that answers the question, or undefined when nothing is close enough. */
  best(question: string, language: 'ru' | 'en'): KnowledgeHit | undefined {
    const [top] = this.find(question, language, 1);
    return top && passesThreshold(top) ? top : undefined;
  }

  /** The knowledge base of a template: every `*.ru.md` / `*.en.md` in its `knowledge/` folder. */
  static async load(template: string, root = join(PROJECT_ROOT, 'flows', 'templates')): Promise<KnowledgeIndex> {
    const folder = join(root, template, 'knowledge');
    const sections: KnowledgeSection[] = [];
    for (const file of (await readdir(folder)).sort()) {
      const language = /\.(ru|en)\.md$/.exec(file)?.[1];
      if (language !== 'ru' && language !== 'en') continue;
      sections.push(...parseKnowledgeMarkdown(await readFile(join(folder, file), 'utf8'), file, language));
    }
    return new KnowledgeIndex(sections);
  }
}
