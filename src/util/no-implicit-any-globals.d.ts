// JSON.parse and Array.isArray are where `any` enters code that reads untrusted input: parse
// results come back `any`, and Array.isArray turns an `unknown` into `any[]`. These overloads
// (merged ahead of the standard ones) make them `unknown`, so every use must check or cast.

interface JSON {
  parse(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): unknown;
}

interface ArrayConstructor {
  isArray(arg: unknown): arg is unknown[];
}
