import { isValidObjectId, type Connection } from 'mongoose';
import type { ChannelAccount, ChannelAdapter } from '../../bot/channels/channel-adapter.js';
import type { ChannelRegistry, ChannelType } from '../../bot/channels/channel-registry.js';
import { channelAccountModel, type ChannelAccountRecord } from './channel-account-model.js';
import { SecretDecryptionError, type SecretBox } from './secret-box.js';

/** An account ready to use: secrets opened, with the adapter that speaks its channel. */
export interface LoadedAccount extends ChannelAccount {
  type: ChannelType;
  teamIds: string[];
  /** Messages per second the outbound queue lets through. */
  ratePerSecond: number;
  adapter: ChannelAdapter;
}

// Webhooks arrive thousands of times a second for the same few accounts; a short cache keeps a
// read and a decryption off each one. An admin's change reaches other processes within this time.
const CACHE_MS = 5_000;

/**
 * Where the rest of the server gets channel accounts from: decrypts secrets, pairs each account
 * with its adapter and caches both briefly.
 */
export class ChannelAccounts {
  private readonly cache = new Map<string, { account: LoadedAccount | undefined; until: number }>();

  constructor(
    private readonly db: Connection,
    private readonly box: SecretBox,
    readonly registry: ChannelRegistry,
  ) {}

  adapter(type: ChannelType): ChannelAdapter {
    return this.registry[type];
  }

  /** The active account with this id, or undefined (unknown, deleted or not an id). */
  async get(id: string): Promise<LoadedAccount | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return cached.account;
    const record = isValidObjectId(id)
      ? await channelAccountModel(this.db).findOne({ _id: id, status: 'active' }).lean<ChannelAccountRecord>()
      : null;
    const account = record ? this.load(record) : undefined;
    // Only real accounts are remembered: webhooks to made-up ids must not grow the cache.
    if (account) this.cache.set(id, { account, until: Date.now() + CACHE_MS });
    else this.cache.delete(id);
    return account;
  }

  async listActive(type?: ChannelType): Promise<LoadedAccount[]> {
    const records = await channelAccountModel(this.db)
      .find({ status: 'active', ...(type ? { type } : {}) })
      .sort({ _id: 1 })
      .lean<ChannelAccountRecord[]>();
    return records.flatMap((record) => {
      try {
        return [this.load(record)];
      } catch (error) {
        // One account whose secrets cannot be opened must not stop the workers of all the others;
        // its webhooks answer 503 and log why until an admin enters its secrets again.
        if (error instanceof SecretDecryptionError) return [];
        throw error;
      }
    });
  }

  invalidate(id: string): void {
    this.cache.delete(id);
  }

  load(record: ChannelAccountRecord): LoadedAccount {
    const id = record._id.toHexString();
    return {
      id,
      type: record.type,
      name: record.name,
      settings: record.settings,
      secrets: this.openSecrets(id, record.sealedSecrets),
      teamIds: record.teamIds.map((teamId) => teamId.toHexString()),
      ratePerSecond: record.ratePerSecond ?? this.adapter(record.type).capabilities.defaultRatePerSecond,
      adapter: this.adapter(record.type),
      ...(record.sandbox ? { sandbox: true } : {}),
    };
  }

  sealSecrets(id: string, secrets: Record<string, string>): string {
    return this.box.seal(JSON.stringify(secrets), `channel:${id}`);
  }

  openSecrets(id: string, sealed: string): Record<string, string> {
    const parsed: unknown = JSON.parse(this.box.open(sealed, `channel:${id}`));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }
}
