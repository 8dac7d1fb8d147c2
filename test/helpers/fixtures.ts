/** Real platform payloads (test/fixtures/<platform>/…json), with the fields a test varies set on a fresh copy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `patch` laid over it, objects merged key by key (arrays and values replaced). */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
  return out;
}

/** A fixture payload, e.g. fixture('slack/app-mention', { event: { text: '<@UBOT> …' } }). */
export function fixture(name: string, patch: Json = {}): Json {
  const base = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', `${name}.json`), 'utf8')) as Json;
  return merge(base, patch);
}
