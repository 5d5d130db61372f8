/**
 * Builds a model's indexes once per process before its first write needs them (a unique index is
 * what stops a duplicate). mongoose remembers the first `init()` for good, a failure included: a
 * model first used while the store was down would refuse every later call of the process. A
 * failed init is forgotten here, so the next use tries again.
 */
export async function initModel(model: { init(): Promise<unknown> }): Promise<void> {
  try {
    await model.init();
  } catch (error) {
    (model as unknown as { $init?: unknown }).$init = undefined;
    throw error;
  }
}
