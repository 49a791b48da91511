/**
 * The fields that identify what a log line is about (the interaction or request being handled), carried along the
 * async calls it makes (AsyncLocalStorage), so every line written meanwhile (by the adapter, the dispatcher, the
 * database retries) carries them without each caller passing a child logger down. main.ts hands `currentLogContext`
 * to the logger; adapters wrap each interaction in `withLogContext`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Fields = Readonly<Record<string, string>>;

const storage = new AsyncLocalStorage<Fields>();

/** Runs `work` with `fields` on every log line written inside it (nested calls add to the outer fields). */
export function withLogContext<T>(fields: Fields, work: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...fields } : fields, work);
}

/** The fields of the work running now, if any. */
export function currentLogContext(): Fields | undefined {
  return storage.getStore();
}
