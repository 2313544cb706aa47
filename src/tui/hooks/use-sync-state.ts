import { useStore } from './use-store.js';

type Update<T> = T | ((prev: T) => T);

function apply<T>(prev: T, u: Update<T>): T {
  return typeof u === 'function' ? (u as (p: T) => T)(prev) : u;
}

/** useState whose latest value can be read synchronously (by the key router, between renders). */
export function useSyncState<T>(initial: T | (() => T)): [T, (u: Update<T>) => void, () => T] {
  return useStore<T, Update<T>>(apply, () => (typeof initial === 'function' ? (initial as () => T)() : initial));
}
