/**
 * `spell` remembered for up to `max` distinct keys (later keys are spelled every time): for
 * values a capture repeats on every event, such as capability masks and clone flags.
 */
export function boundedMemo<K, V>(spell: (key: K) => V, max: number): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = spell(key);
      if (known.size < max) known.set(key, value);
    }
    return value;
  };
}
