/**
 * The native addons `npm start` needs, checked before anything loads them: when npm did not run
 * their install scripts (npm 12 runs only those package.json's `allowScripts` approves), the user
 * gets one Japanese line naming the module and the fix, not a stack trace from deep inside.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Each addon, with a use that loads its compiled part (better-sqlite3 loads it only on open). */
export const NATIVE_MODULES: Record<string, () => void> = {
  'better-sqlite3': () => {
    const Database = require('better-sqlite3') as new (file: string) => { close(): void };
    new Database(':memory:').close();
  },
  'hnswlib-node': () => {
    const { HierarchicalNSW } = require('hnswlib-node') as { HierarchicalNSW: new (space: string, dim: number) => unknown };
    new HierarchicalNSW('l2', 2);
  },
};

/** The one-line message for the first addon that cannot load, or null when all load. */
export function nativeModuleProblem(modules: Record<string, () => void> = NATIVE_MODULES): string | null {
  for (const [name, load] of Object.entries(modules)) {
    try {
      load();
    } catch {
      return `ネイティブモジュール ${name} を読み込めないため起動できません。npm がインストールスクリプトを実行しなかった可能性があります（package.json の allowScripts で承認済みか確かめてください）。npm rebuild ${name} を実行してから、もう一度 npm start を実行してください。`;
    }
  }
  return null;
}
