/**
 * The Falco engine version whose rule semantics pedigree follows (falcosecurity/falco at the
 * commit docs/falco-rules.md names). Rules files state the version they need.
 */
export const ENGINE_VERSION = '0.63.0';

/** Reads `required_engine_version`: a legacy integer n means 0.n.0; otherwise semver. */
export function parseEngineVersion(value: unknown): [number, number, number] | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return [0, value, 0];
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(value).trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Same major version and ours not older. */
export function engineSatisfies(required: [number, number, number], ours = parseEngineVersion(ENGINE_VERSION)!): boolean {
  if (required[0] !== ours[0]) return false;
  for (let i = 1; i < 3; i++) {
    if ((ours[i] as number) > (required[i] as number)) return true;
    if ((ours[i] as number) < (required[i] as number)) return false;
  }
  return true;
}
