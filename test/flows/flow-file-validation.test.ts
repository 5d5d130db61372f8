import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFlowIssue } from '../../flows/validate/flow-file-error.js';
import { parseFlowFile, validateFlowFile } from '../../flows/validate/parse-flow-file.js';

const TEMPLATES = join(import.meta.dirname, '../../flows/templates');

/** 16 lines: the flows of each broken file start on line 17. */
const HEADER = `format: 1
workspace:
  name: { ru: Тест }
  pipelines:
    - key: sales
      name: { ru: Продажа }
      kind: sales
      stages:
        - { id: new, name: { ru: Новый }, kind: open }
        - { id: won, name: { ru: Успех }, kind: won }
        - { id: lost, name: { ru: Провал }, kind: lost }
      lostReasons: [{ id: expensive, name: { ru: Дорого } }]
  fields: [{ entity: deal, key: budget, label: { ru: Бюджет }, type: number }]
  teams: [{ key: measurers, name: { ru: Замерщики } }]
flows:
  - id: f
`;

const FLOW_HEAD = `    name: { ru: Поток }
    version: 1
    triggers: [{ type: manual }]
    steps:
`;

function problems(body: string, header = HEADER + FLOW_HEAD, language: 'ru' | 'en' = 'en'): string[] {
  const result = validateFlowFile(header + body, 'broken.yaml', language);
  if (result.ok) return [];
  return result.issues.map(formatFlowIssue);
}

const inRussian = (body: string, header = HEADER + FLOW_HEAD) => problems(body, header, 'ru');

describe('flow file validation', () => {
  it.each(readdirSync(TEMPLATES).filter((name) => name.endsWith('.yaml')))('should accept the template %s', (name) => {
    const result = validateFlowFile(readFileSync(join(TEMPLATES, name), 'utf8'), name);
    expect(result.ok ? [] : result.issues.map(formatFlowIssue)).toEqual([]);
  });

  it('should report YAML syntax errors where they are', () => {
    expect(
      problems(`      - id: a\n        type: send\n        text:\n          ru: Привет\n         en: Hi\n`),
    ).toEqual(['broken.yaml:25:1: All mapping items must start at the same column']);
    expect(problems(`      - id: a\n        type: end\n        type: send\n`)).toEqual([
      'broken.yaml:23:9: Map keys must be unique',
    ]);
  });

  it('should name the allowed step types for an unknown one', () => {
    expect(problems(`      - id: a\n        type: sned\n`)).toEqual([
      'broken.yaml:22:15: Unknown type "sned"; expected one of: send, ask, book, branch, split, wait, waitFor, setField, addTag, removeTag, moveStage, copyDeal, markWon, markLost, createTask, assign, handoff, notify, webhook, enroll, leave, end (flows[0].steps[0].type)',
    ]);
  });

  it('should report a missing key at its map and an unknown key at the key', () => {
    expect(problems(`      - id: a\n        type: send\n        txt: { ru: Привет }\n`)).toEqual([
      'broken.yaml:21:9: Missing "text" (flows[0].steps[0])',
      'broken.yaml:23:9: Unknown key "txt" (flows[0].steps[0].txt)',
    ]);
  });

  it('should explain a comma that split a text', () => {
    expect(problems(`      - id: a\n        type: send\n        text: { ru: Да, конечно }\n`)).toEqual([
      'broken.yaml:23:25: Unknown key "конечно": a comma inside { } ends the text; put the text in quotes (flows[0].steps[0].text.конечно)',
    ]);
  });

  it('should point at a malformed duration and an unknown condition operator', () => {
    const body = [
      '      - id: a',
      '        type: waitFor',
      '        event: { type: payment.received }',
      '        timeout: 3 days',
      '        onTimeout: b',
      '      - id: b',
      '        type: branch',
      '        branches:',
      '          - when: { path: deal.amount, op: equals, value: 5 }',
      '            next: a',
      '',
    ].join('\n');
    expect(problems(body)).toEqual([
      'broken.yaml:24:18: Use a duration such as 30m, 2h, 3d, 1w or 1d12h (flows[0].steps[0].timeout)',
      'broken.yaml:29:44: Unknown value "equals"; expected one of: eq, ne, lt, lte, gt, gte, contains, notContains, in, notIn, set, empty, regex, before, after, within (flows[0].steps[1].branches[0].when.op)',
    ]);
  });

  it('should report unknown and unreachable steps, unknown stages, reasons, fields and teams', () => {
    const body = [
      '      - { id: a, type: moveStage, pipeline: sales, stage: measured, next: nowhere }',
      '      - { id: orphan, type: markLost, reason: cheap }',
      '      - id: b',
      '        type: createTask',
      '        title: { ru: "Бюджет {{deal.fields.budjet}}" }',
      '        assignee: { type: team, team: installers }',
      '',
    ].join('\n');
    expect(problems(body)).toEqual([
      'broken.yaml:21:59: Unknown stage "measured" in pipeline "sales" (flows[0].steps[0].stage)',
      'broken.yaml:21:75: Unknown step "nowhere" (flows[0].steps[0].next)',
      'broken.yaml:22:15: Step "orphan" is never reached (flows[0].steps[1].id)',
      'broken.yaml:22:47: Unknown lost reason "cheap": add it to a pipeline\'s lostReasons (flows[0].steps[1].reason)',
      'broken.yaml:23:13: Step "b" is never reached (flows[0].steps[2].id)',
      'broken.yaml:25:22: Unknown field "deal.fields.budjet": add it to workspace.fields (flows[0].steps[2].title.ru)',
      'broken.yaml:26:39: Unknown team "installers": add it to workspace.teams (flows[0].steps[2].assignee.team)',
    ]);
  });

  it('should reject a loop without a wait and accept one through a wait', () => {
    const loop = (middle: string) =>
      ['      - { id: a, type: addTag, tags: [x] }', `      - { id: b, type: ${middle}, next: a }`, ''].join('\n');
    expect(problems(loop('removeTag, tags: [x]'))).toEqual([
      'broken.yaml:21:15: Steps a → b → a loop without a wait, ask or waitFor (flows[0].steps[0].id)',
    ]);
    expect(problems(loop('wait, for: 1d'))).toEqual([]);
  });

  it('should check the pipelines a file sets up', () => {
    const header = HEADER.replace(
      '{ id: lost, name: { ru: Провал }, kind: lost }',
      '{ id: lost, name: { ru: Провал }, kind: won }',
    );
    expect(problems('      - { id: a, type: end }\n', header + FLOW_HEAD)).toEqual([
      'broken.yaml:9:9: A pipeline needs exactly one won stage (workspace.pipelines[0].stages)',
      'broken.yaml:9:9: A pipeline needs exactly one lost stage (workspace.pipelines[0].stages)',
    ]);
  });

  it('should reject bad placeholders and unknown record properties', () => {
    const body = '      - { id: a, type: send, text: { ru: "{{contact.nmae}} {{contact.name | upper}}" } }\n';
    expect(problems(body)).toEqual([
      'broken.yaml:21:42: Unknown property "nmae" of contact; known: id, name, phone, email, language, tags, optedOut, ownerId, source, fields, createdAt (flows[0].steps[0].text.ru)',
      'broken.yaml:21:42: Bad placeholder {{contact.name | upper}}: use {{path}} or {{path | date|time|datetime|money|default: text}} (flows[0].steps[0].text.ru)',
    ]);
  });

  it('should word every problem in Russian for a Russian reader, at the same line and column', () => {
    expect(
      inRussian(`      - id: a\n        type: send\n        text:\n          ru: Привет\n         en: Hi\n`),
    ).toEqual(['broken.yaml:25:1: Неверный отступ: элементы одного уровня должны начинаться в одном столбце']);
    expect(inRussian(`      - id: a\n        type: send\n        txt: { ru: Привет }\n`)).toEqual([
      'broken.yaml:21:9: Не хватает "text" (flows[0].steps[0])',
      'broken.yaml:23:9: Неизвестный ключ "txt" (flows[0].steps[0].txt)',
    ]);
    expect(inRussian(`      - id: a\n        type: send\n        text: { ru: Да, конечно }\n`)).toEqual([
      'broken.yaml:23:25: Неизвестный ключ "конечно": запятая внутри { } обрывает текст; возьмите текст в кавычки (flows[0].steps[0].text.конечно)',
    ]);
    expect(
      inRussian(
        [
          '      - id: a',
          '        type: wait',
          '        for: 3 days',
          '      - { id: b, type: send, text: { ru: 5 }, next: 7 }',
          '      - { id: c, type: branch, branches: [{ when: { path: deal.stage, op: in, value: new }, next: a }] }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'broken.yaml:23:14: Укажите длительность, например 30m, 2h, 3d, 1w или 1d12h (flows[0].steps[0].for)',
      'broken.yaml:24:42: Ожидается текст, а указано число 5 (flows[0].steps[1].text.ru)',
      'broken.yaml:24:53: Ожидается текст, а указано число 7 (flows[0].steps[1].next)',
      'broken.yaml:25:86: "in" ожидает список значений (flows[0].steps[2].branches[0].when.value)',
    ]);
    expect(
      inRussian(
        [
          '      - { id: a, type: moveStage, pipeline: sales, stage: measured, next: nowhere }',
          '      - { id: orphan, type: markLost, reason: cheap }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'broken.yaml:21:59: Неизвестный этап "measured" в воронке "sales" (flows[0].steps[0].stage)',
      'broken.yaml:21:75: Неизвестный шаг "nowhere" (flows[0].steps[0].next)',
      'broken.yaml:22:15: До шага "orphan" ничто не ведёт (flows[0].steps[1].id)',
      'broken.yaml:22:47: Неизвестная причина отказа "cheap": добавьте её в lostReasons воронки (flows[0].steps[1].reason)',
    ]);
  });

  it('should throw a FlowFileError listing every issue from parseFlowFile', () => {
    expect(() => parseFlowFile(`${HEADER}${FLOW_HEAD}      - { id: a, type: end, next: b }\n`, 'broken.yaml')).toThrow(
      /broken\.yaml:21:29: Unknown key "next"/,
    );
  });
});
