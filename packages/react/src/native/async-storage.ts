// React Native's AsyncStorage as the synchronous store Beckon's engine reads (its ledger and the tracker's ids and
// queue are read and written synchronously). Beckon's keys are loaded into memory once, before Beckon starts; from
// then on reads come from memory and every write goes to memory at once and to AsyncStorage behind it, in order.
import type { KeyValueStore } from '@beckon/tracking';

/**
 * The part of `@react-native-async-storage/async-storage` this adapter uses: the default export of version 2 or 3
 * (or `createAsyncStorage(name)` of version 3), or anything with the same methods.
 */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
  getAllKeys(): Promise<readonly string[]>;
  /** Version 3: several keys in one call (without it, each key is read with `getItem`). */
  getMany?(keys: string[]): Promise<Record<string, string | null>>;
}

/** A store whose reads are served from memory; see `loadAsyncStorage`. */
export interface LoadedStore extends KeyValueStore {
  keys(): string[];
  /** Resolves once every write made so far has reached AsyncStorage (or failed: see `onError`). */
  written(): Promise<void>;
}

/** Options of `loadAsyncStorage`. */
export interface LoadAsyncStorageOptions {
  /** Which keys are Beckon's (default: those starting with `beckon`, as all of its keys do). */
  prefix?: string;
  /** Called when a write to AsyncStorage fails; the value stays in memory for this run of the app. */
  onError?(error: unknown): void;
}

/**
 * Loads Beckon's keys from `storage` into memory and returns the store to give Beckon (`createNativeBeckon`'s
 * `storage`). Await it before starting Beckon: the anonymous id and the message history must be known before the
 * first decision. A failed load starts with nothing stored (a new visitor), as unreadable storage does on the web.
 */
export async function loadAsyncStorage(storage: AsyncStorageLike, { prefix = 'beckon', onError = warn }: LoadAsyncStorageOptions = {}): Promise<LoadedStore> {
  const memory = new Map<string, string>();
  try {
    const keys = (await storage.getAllKeys()).filter((key) => key.startsWith(prefix));
    for (const [key, value] of await readAll(storage, keys)) if (typeof value === 'string') memory.set(key, value);
  } catch (error) {
    onError(error);
  }
  // Writes are chained, so AsyncStorage sees them in the order Beckon made them (a remove after a set stays last).
  let chain = Promise.resolve();
  const write = (task: () => Promise<void>) => {
    chain = chain.then(task).catch(onError);
  };
  return {
    get: (key) => memory.get(key),
    set(key, value) {
      memory.set(key, value);
      write(() => storage.setItem(key, value));
    },
    remove(key) {
      if (!memory.delete(key)) return;
      write(() => storage.removeItem(key));
    },
    keys: () => [...memory.keys()],
    written: () => chain,
  };
}

/** The values of `keys`, in one call where the storage has one. */
async function readAll(storage: AsyncStorageLike, keys: string[]): Promise<Array<readonly [string, string | null]>> {
  if (storage.getMany) return Object.entries(await storage.getMany(keys));
  return Promise.all(keys.map(async (key) => [key, await storage.getItem(key)] as const));
}

function warn(error: unknown): void {
  console.warn('[beckon] AsyncStorage failed', error);
}
