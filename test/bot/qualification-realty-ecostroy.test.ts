import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.js';
import { recordsOf, startFrontDoorApp, TelegramClient, type FrontDoorApp } from './front-door-fixture.js';

/**
 * The other two templates' qualification on Telegram: the estate agency asks buy / sell / rent
 * (read from the first message here), the area by buttons, the budget and the phone, then routes
 * the inquiry to the area's agents; the green-home builder asks the plot, the house, the budget
 * and the timing, then puts the deal into its funnel.
 */
describe('front-door qualification in the realty and ecostroy templates', () => {
  describe('realty', () => {
    let app: FrontDoorApp;
    beforeAll(async () => {
      app = await startFrontDoorApp({}, { template: 'realty' });
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it('should ask the area and the budget of a client who wants to rent, and route the inquiry', async () => {
      const client = new TelegramClient(app, { firstName: 'Ольга', languageCode: 'ru' });
      await client.write('Здравствуйте, хочу снять квартиру');
      const [greeting, region] = await client.waitForMessages(2);
      expect(greeting!.text).toContain('Я бот агентства');
      expect(region).toMatchObject({ text: 'В каком районе?', buttons: ['Центр', 'Север', 'Юг', 'Пригород'] });
      await client.press('Центр', 'center');
      expect((await client.reply(2)).text).toContain('Какой бюджет или ожидаемая цена?');
      await client.write('до 60 тыс');
      expect((await client.reply(3)).text).toContain('Оставьте, пожалуйста, номер телефона');
      await client.write('8 903 111-22-33');
      // The thanks and the booking flow's offer are sent by two runs; the chat's messages leave in
      // the order they were stored even when its 1 s Telegram interval holds both.
      expect((await client.reply(4)).text).toContain('Спасибо! Передаю обращение агенту района');
      expect((await client.reply(5)).text).toContain('Выберите удобное время');
      const { contact, deal } = await waitUntil('the inquiry is routed', async () => {
        const records = await recordsOf(app.api, String(client.chatId));
        return records.deal?.stageId === 'assigned' ? records : undefined;
      });
      expect(deal!.customFields).toMatchObject({ deal_type: 'rent', region: 'center', budget: 60_000 });
      expect(contact.phones.map((phone) => phone.e164)).toEqual(['+79031112233']);
    }, 90_000);
  });

  describe('ecostroy', () => {
    let app: FrontDoorApp;
    beforeAll(async () => {
      app = await startFrontDoorApp({}, { template: 'ecostroy' });
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it('should ask the plot, the house size, the budget and the timing, and put the deal into the funnel', async () => {
      const client = new TelegramClient(app, { firstName: 'Игорь', languageCode: 'ru' });
      await client.write('Добрый день! Интересует экодом');
      const [greeting, plot] = await client.waitForMessages(2);
      expect(greeting!.text).toContain('Я бот «ЭкоСтроя»');
      expect(plot!.text).toContain('Где будет стоить дом?');
      await client.write('участок в Истре');
      expect((await client.reply(2)).text).toContain('Какой площади дом');
      await client.write('примерно 150 м2');
      expect((await client.reply(3)).text).toContain('На какой бюджет');
      await client.write('до 12 млн');
      expect(await client.reply(4)).toMatchObject({
        text: 'Когда планируете строить?',
        buttons: ['В этом сезоне', 'В следующем году', 'Пока присматриваюсь'],
      });
      await client.press('В следующем году', 'next-year');
      expect((await client.reply(5)).text).toContain('Оставьте, пожалуйста, номер телефона');
      await client.write('+7 916 555-44-33');
      // Money is written with no-break spaces between thousands.
      expect((await client.reply(6)).text).toMatch(/^Спасибо, Игорь! Дом 150 м², бюджет 12\s000\s000 ₽\./);
      const { deal } = await waitUntil('the deal in the funnel', async () => {
        const records = await recordsOf(app.api, String(client.chatId));
        return records.deal?.stageId === 'consultation-request' ? records : undefined;
      });
      expect(deal!.customFields).toMatchObject({
        // The answer to the question asked is kept as the client wrote it.
        plot_location: 'участок в Истре',
        house_area: 150,
        budget: 12_000_000,
        build_start: 'next-year',
      });
    }, 90_000);
  });
});
