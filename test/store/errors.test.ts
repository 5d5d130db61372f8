import { Long, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { errorOf, type AnyDoc } from './conformance-helpers.js';
import { useTestDatabase } from './harness.js';

describe('errors with MongoDB codes', () => {
  const t = useTestDatabase();

  const collection = (name: string) => t.db.collection<AnyDoc>(name);

  async function withDoc(name: string, doc: AnyDoc = { _id: 1, a: 1, n: 5, s: 'text', list: [1, 2] }) {
    const coll = collection(name);
    await coll.insertOne(doc);
    return coll;
  }

  describe('commands', () => {
    it('should answer an unknown command with 59 CommandNotFound', async () => {
      const error = await errorOf(t.db.command({ noSuchCommandAtAll: 1 }));
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error.code).toBe(59);
      expect(error.codeName).toBe('CommandNotFound');
    });

    it('should reject a find filter of the wrong type with 14 TypeMismatch', async () => {
      await withDoc('err_find_type');
      const error = await errorOf(t.db.command({ find: 'err_find_type', filter: 'not an object' }));
      expect(error.code).toBe(14);
      expect(error.codeName).toBe('TypeMismatch');
    });

    it('should answer getMore on an unknown cursor with 43 CursorNotFound', async () => {
      await withDoc('err_getmore');
      const error = await errorOf(t.db.command({ getMore: Long.fromNumber(987654321), collection: 'err_getmore' }));
      expect(error.code).toBe(43);
      expect(error.codeName).toBe('CursorNotFound');
    });

    it('should answer listIndexes on a missing collection with 26 NamespaceNotFound', async () => {
      const error = await errorOf(t.db.command({ listIndexes: 'err_no_such_collection' }));
      expect(error.code).toBe(26);
      expect(error.codeName).toBe('NamespaceNotFound');
    });

    it('should refuse to create an existing collection with other options with 48 NamespaceExists', async () => {
      await t.db.createCollection('err_exists');
      // Since MongoDB 7.0 (SERVER-60064) creating it again with identical options succeeds.
      await t.db.createCollection('err_exists');
      const error = await errorOf(t.db.createCollection('err_exists', { validator: { a: { $exists: true } } }));
      expect(error.code).toBe(48);
      expect(error.codeName).toBe('NamespaceExists');
      expect(await t.db.listCollections({ name: 'err_exists' }).toArray()).toHaveLength(1);
    });
  });

  describe('queries', () => {
    it('should reject an unknown query operator with 2 BadValue', async () => {
      const coll = await withDoc('err_query_op');
      const error = await errorOf(coll.find({ a: { $noSuchOperator: 1 } }).toArray());
      expect(error.code).toBe(2);
      expect(error.codeName).toBe('BadValue');
      expect(error.message).toContain('$noSuchOperator');
      const topLevel = await errorOf(coll.find({ $noSuchOperator: [{ a: 1 }] }).toArray());
      expect(topLevel.code).toBe(2);
    });

    it('should reject an unknown aggregation stage with 40324', async () => {
      const coll = await withDoc('err_stage');
      const error = await errorOf(coll.aggregate([{ $match: {} }, { $noSuchStage: {} }]).toArray());
      expect(error.code).toBe(40324);
      expect(error.message).toContain('$noSuchStage');
    });

    it('should reject a projection mixing inclusion and exclusion with 31254 or 31253', async () => {
      const coll = await withDoc('err_projection_mix');
      const exclusion = await errorOf(coll.find({}, { projection: { a: 1, n: 0 } }).toArray());
      expect(exclusion.code).toBe(31254);
      expect(exclusion.message).toContain('Cannot do exclusion on field n in inclusion projection');
      const inclusion = await errorOf(coll.find({}, { projection: { a: 0, n: 1 } }).toArray());
      expect(inclusion.code).toBe(31253);
      expect(inclusion.message).toContain('Cannot do inclusion on field n in exclusion projection');
      // The projection is parsed before any document is read.
      const unread = await errorOf(
        collection('err_projection_none')
          .find({}, { projection: { a: 1, n: 0 } })
          .toArray(),
      );
      expect(unread.code).toBe(31254);
      // _id goes with either kind.
      expect(await coll.findOne({}, { projection: { a: 1, _id: 0 } })).toEqual({ a: 1 });
      expect(await coll.findOne({}, { projection: { a: 0, _id: 1 } })).toEqual({
        _id: 1,
        n: 5,
        s: 'text',
        list: [1, 2],
      });
    });

    it('should reject an invalid regular expression with 51091', async () => {
      const coll = await withDoc('err_regex');
      const error = await errorOf(coll.find({ s: { $regex: '(' } }).toArray());
      expect(error.code).toBe(51091);
      expect(error.message).toContain('Regular expression is invalid: missing closing parenthesis');
      const negated = await errorOf(coll.countDocuments({ s: { $not: { $regex: '[' } } }));
      expect(negated.code).toBe(51091);
      const unread = await errorOf(
        collection('err_regex_none')
          .find({ s: { $regex: '*' } })
          .toArray(),
      );
      expect(unread.code).toBe(51091);
      const flag = await errorOf(coll.find({ s: { $regex: 'te', $options: 'q' } }).toArray());
      expect(flag.code).toBe(51108);
    });

    it('should reject an unknown expression operator with 168 InvalidPipelineOperator', async () => {
      const coll = await withDoc('err_expression');
      const addFields = await errorOf(coll.aggregate([{ $addFields: { x: { $foo: 1 } } }]).toArray());
      expect(addFields.code).toBe(168);
      expect(addFields.codeName).toBe('InvalidPipelineOperator');
      expect(addFields.message).toContain("Unrecognized expression '$foo'");
      const nested = await errorOf(coll.aggregate([{ $project: { x: { $add: [1, { $foo: 1 }] } } }]).toArray());
      expect(nested.code).toBe(168);
      const expr = await errorOf(coll.find({ $expr: { $foo: ['$a', 1] } }).toArray());
      expect(expr.code).toBe(168);
      // A field of $project is parsed as a projection first, which names an unknown operator 31325.
      const projected = await errorOf(coll.aggregate([{ $project: { x: { $foo: 1 } } }]).toArray());
      expect(projected.code).toBe(31325);
      expect(projected.message).toContain('Unknown expression $foo');
    });

    it('should reject an unknown $group accumulator with 15952', async () => {
      const coll = await withDoc('err_accumulator');
      const error = await errorOf(coll.aggregate([{ $group: { _id: null, x: { $foo: 1 } } }]).toArray());
      expect(error.code).toBe(15952);
      expect(error.message).toContain("unknown group operator '$foo'");
      expect(await coll.aggregate([{ $group: { _id: null, x: { $sum: '$n' } } }]).toArray()).toEqual([
        { _id: null, x: 5 },
      ]);
    });

    it('should reject an empty $and, $or or $nor with 2 BadValue', async () => {
      const coll = await withDoc('err_empty_logical');
      for (const operator of ['$and', '$or', '$nor']) {
        const error = await errorOf(coll.find({ [operator]: [] }).toArray());
        expect(error.code).toBe(2);
        expect(error.message).toContain('$and/$or/$nor must be a nonempty array');
      }
    });
  });

  // Update failures come back as write errors, which carry a code but no codeName.
  describe('updates', () => {
    it('should reject an unknown update operator with 9 FailedToParse', async () => {
      const coll = await withDoc('err_update_op');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $noSuchModifier: { a: 1 } } as AnyDoc));
      expect(error.code).toBe(9);
      expect(await coll.findOne({ _id: 1 })).toMatchObject({ a: 1 });
    });

    it('should refuse to modify _id with 66 ImmutableField', async () => {
      const coll = await withDoc('err_immutable');
      const set = await errorOf(coll.updateOne({ _id: 1 }, { $set: { _id: 2 } }));
      expect(set.code).toBe(66);
      const replace = await errorOf(coll.replaceOne({ _id: 1 }, { _id: 3, a: 1 }));
      expect(replace.code).toBe(66);
      const fam = await errorOf(coll.findOneAndUpdate({ _id: 1 }, { $inc: { _id: 1 } }));
      expect(fam.code).toBe(66);
      expect(await coll.countDocuments({ _id: 1 })).toBe(1);
    });

    it('should reject conflicting update paths with 40 ConflictingUpdateOperators', async () => {
      const coll = await withDoc('err_conflict');
      const same = await errorOf(coll.updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } }));
      expect(same.code).toBe(40);
      const nested = await errorOf(coll.updateOne({ _id: 1 }, { $set: { 'x.y': 1 }, $unset: { x: '' } }));
      expect(nested.code).toBe(40);
    });

    it('should reject $inc with a non-numeric argument with 14 TypeMismatch', async () => {
      const coll = await withDoc('err_inc_string');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $inc: { n: 'one' } } as AnyDoc));
      expect(error.code).toBe(14);
      expect(await coll.findOne({ _id: 1 })).toMatchObject({ n: 5 });
    });

    it('should reject $inc on a non-numeric field with 14 TypeMismatch', async () => {
      const coll = await withDoc('err_inc_field');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $inc: { s: 1 } }));
      expect(error.code).toBe(14);
      expect(await coll.findOne({ _id: 1 })).toMatchObject({ s: 'text' });
    });

    it('should reject $push onto a field that is not an array with 2 BadValue', async () => {
      const coll = await withDoc('err_push_scalar');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $push: { n: 1 } } as AnyDoc));
      expect(error.code).toBe(2);
      expect(await coll.findOne({ _id: 1 })).toMatchObject({ n: 5 });
    });

    it('should reject $pop and $pull on a field that is not an array', async () => {
      const coll = await withDoc('err_pop_scalar');
      expect((await errorOf(coll.updateOne({ _id: 1 }, { $pop: { n: 1 } } as AnyDoc))).code).toBe(14);
      expect((await errorOf(coll.updateOne({ _id: 1 }, { $pull: { n: 1 } } as AnyDoc))).code).toBe(2);
      expect((await errorOf(coll.updateOne({ _id: 1 }, { $pullAll: { s: ['t'] } } as AnyDoc))).code).toBe(2);
    });

    it('should refuse to create a field inside a scalar with 28 PathNotViable', async () => {
      const coll = await withDoc('err_path_not_viable');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $set: { 'n.inner': 1 } }));
      expect(error.code).toBe(28);
      expect((await errorOf(coll.updateOne({ _id: 1 }, { $inc: { 's.count': 1 } }))).code).toBe(28);
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1, n: 5, s: 'text', list: [1, 2] });
    });

    it('should reject a positional update whose query did not match an array with 2 BadValue', async () => {
      const coll = await withDoc('err_positional');
      const error = await errorOf(coll.updateOne({ _id: 1 }, { $set: { 'list.$': 9 } }));
      expect(error.code).toBe(2);
      expect((await coll.findOne({ _id: 1 }))!.list).toEqual([1, 2]);
    });

    it('should reject arrayFilters that the update does not use, or lacks, before touching a document', async () => {
      const coll = await withDoc('err_array_filters');
      const unused = await errorOf(
        coll.updateOne({ _id: 1 }, { $set: { 'list.$[x]': 0 } }, { arrayFilters: [{ x: 1 }, { y: 2 }] }),
      );
      expect(unused.code).toBe(9);
      expect(unused.message).toContain("identifier 'y' was not used");
      const missing = await errorOf(coll.updateOne({ _id: 1 }, { $set: { 'list.$[z]': 0 } }));
      expect(missing.code).toBe(2);
      expect(missing.message).toContain("No array filter found for identifier 'z'");
      const nothingMatches = await errorOf(
        coll.updateMany({ _id: 404 }, { $set: { a: 1 } }, { arrayFilters: [{ q: 1 }] }),
      );
      expect(nothingMatches.code).toBe(9);
      expect((await coll.findOne({ _id: 1 }))!.list).toEqual([1, 2]);
    });

    it('should reject $rename to itself, or into or out of an array, with 2 BadValue', async () => {
      const coll = await withDoc('err_rename', { _id: 1, a: 1, list: [{ x: 1 }] });
      const same = await errorOf(coll.updateOne({ _id: 1 }, { $rename: { a: 'a' } }));
      expect(same.code).toBe(2);
      expect(same.message).toContain('The source and target field for $rename must differ: a: "a"');
      const source = await errorOf(coll.updateOne({ _id: 1 }, { $rename: { 'list.0.x': 'y' } }));
      expect(source.code).toBe(2);
      expect(source.message).toContain("The source field cannot be an array element, 'list.0.x'");
      const destination = await errorOf(coll.updateOne({ _id: 1 }, { $rename: { a: 'list.y' } }));
      expect(destination.code).toBe(2);
      expect(destination.message).toContain("The destination field cannot be an array element, 'list.y'");
      // A field name cannot reach into an array to find the source at all.
      const notViable = await errorOf(coll.updateOne({ _id: 1 }, { $rename: { 'list.x': 'y' } }));
      expect(notViable.code).toBe(28);
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1, list: [{ x: 1 }] });
    });

    it('should refuse an array _id with 53 InvalidIdField', async () => {
      const error = await errorOf(collection('err_array_id').insertOne({ _id: [1, 2] as unknown as number }));
      expect(error.code).toBe(53);
    });
  });

  describe('indexes', () => {
    it('should refuse an index with an existing name but another key with 86 IndexKeySpecsConflict', async () => {
      const coll = await withDoc('err_index_conflict');
      await coll.createIndex({ a: 1 }, { name: 'my_index' });
      const error = await errorOf(coll.createIndex({ n: 1 }, { name: 'my_index' }));
      expect(error.code).toBe(86);
      expect(error.codeName).toBe('IndexKeySpecsConflict');
    });

    it('should refuse the same key and options under another name with 85 IndexOptionsConflict', async () => {
      const coll = await withDoc('err_index_options');
      await coll.createIndex({ a: 1 }, { name: 'first' });
      const error = await errorOf(coll.createIndex({ a: 1 }, { name: 'second' }));
      expect(error.code).toBe(85);
      expect(error.codeName).toBe('IndexOptionsConflict');
    });

    it('should answer dropIndex of an unknown name with 27 IndexNotFound', async () => {
      const coll = await withDoc('err_drop_index');
      const error = await errorOf(coll.dropIndex('no_such_index'));
      expect(error.code).toBe(27);
      expect(error.codeName).toBe('IndexNotFound');
    });
  });
});
