import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { againstRealMongo, openTestDatabase, type TestDatabase } from './harness.js';

describe('text index', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    const messages = t.db.collection<{ _id: number; text: string; channel: string; score?: number }>('messages');
    await messages.insertMany([
      { _id: 1, text: 'Хочу пластиковые окна в новую квартиру', channel: 'telegram' },
      { _id: 2, text: 'Сколько стоит остекление балкона?', channel: 'whatsapp' },
      { _id: 3, text: 'Окно на кухню и окно в спальню, нужна рассрочка', channel: 'telegram' },
      { _id: 4, text: 'We need new windows for a house', channel: 'email' },
      { _id: 5, text: 'Call me back about the installment plan', channel: 'sms' },
    ]);
    await messages.createIndex({ text: 'text' }, { default_language: 'russian' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should find word forms through stemming, in Russian and English', async () => {
    const messages = t.db.collection<{ _id: number; text: string; channel: string; score?: number }>('messages');
    const ru = await messages.find({ $text: { $search: 'окно' } }).toArray();
    expect(ru.map((m) => m._id).sort()).toEqual([1, 3]);
    // A deliberate difference (docs/embedded-store.md): Latin words in a Russian index are stemmed
    // as English here, as Russian by MongoDB.
    if (againstRealMongo) return;
    const en = await messages.find({ $text: { $search: 'window', $language: 'english' } }).toArray();
    expect(en.map((m) => m._id)).toEqual([4]);
  });

  it('should rank by textScore and combine with other predicates', async () => {
    const messages = t.db.collection<{ _id: number; text: string; channel: string; score?: number }>('messages');
    const ranked = await messages
      .find({ $text: { $search: 'окна рассрочка' } }, { projection: { score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(ranked[0]!._id).toBe(3);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score!);
    const filtered = await messages
      .find({ $text: { $search: 'окна' }, channel: 'telegram', _id: { $gt: 1 } })
      .toArray();
    expect(filtered.map((m) => m._id)).toEqual([3]);
  });

  it('should honour phrases and negations', async () => {
    const messages = t.db.collection<{ _id: number; text: string; channel: string; score?: number }>('messages');
    const phrase = await messages.find({ $text: { $search: '"на кухню" окно' } }).toArray();
    expect(phrase.map((m) => m._id)).toEqual([3]);
    const negated = await messages.find({ $text: { $search: 'окна -рассрочка' } }).toArray();
    expect(negated.map((m) => m._id)).toEqual([1]);
  });

  it('should report a text index in listIndexes and refuse $text without one', async () => {
    const indexes = await t.db.collection('messages').listIndexes().toArray();
    const text = indexes.find((ix) => ix.name === 'text_text');
    expect(text?.key).toEqual({ _fts: 'text', _ftsx: 1 });
    expect(text?.weights).toEqual({ text: 1 });
    await t.db.collection('plain').insertOne({ text: 'окно' });
    await expect(
      t.db
        .collection('plain')
        .find({ $text: { $search: 'окно' } })
        .toArray(),
    ).rejects.toMatchObject({ code: 27 });
  });

  it('should serve $text in a leading $match of an aggregation and in countDocuments', async () => {
    const messages = t.db.collection<{ _id: number; text: string; channel: string; score?: number }>('messages');
    const grouped = await messages
      .aggregate([{ $match: { $text: { $search: 'окно' } } }, { $group: { _id: '$channel', n: { $sum: 1 } } }])
      .toArray();
    expect(grouped).toEqual([{ _id: 'telegram', n: 2 }]);
    expect(await messages.countDocuments({ $text: { $search: 'балкон' } })).toBe(1);
  });
});
