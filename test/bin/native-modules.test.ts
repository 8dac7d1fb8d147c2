import { describe, expect, it } from 'vitest';
import { nativeModuleProblem } from '../../bin/native-modules.js';

describe('npm start checks the native addons first', () => {
  it('finds both addons loadable here', () => {
    expect(nativeModuleProblem()).toBeNull();
  });

  it('names the module that cannot load and the fix, in one Japanese line', () => {
    const message = nativeModuleProblem({
      'better-sqlite3': () => undefined,
      'hnswlib-node': () => {
        throw new Error('Could not locate the bindings file.');
      },
    });
    expect(message).toContain('ネイティブモジュール hnswlib-node を読み込めないため起動できません');
    expect(message).toContain('npm rebuild hnswlib-node');
    expect(message).toContain('allowScripts');
    expect(message).not.toContain('\n');
    expect(message).not.toContain('bindings file');
  });
});
