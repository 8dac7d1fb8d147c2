/**
 * The terminal's start-up display: each step of loading (and of building the index on a first
 * start) with its seconds, a line saying the index is being built, and the total when ready.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createStartupProgress } from '../../../adapters/terminal/progress.js';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { dataDirWithIndex } from '../../helpers/app.js';

const sink = (): { out: Writable; text: () => string } => {
  let printed = '';
  return { out: new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) }), text: () => printed };
};

describe('start-up progress in the terminal', () => {
  it('prints each step with its seconds, says when the index is being built, and the total', () => {
    const { out, text } = sink();
    let now = 1_000;
    const p = createStartupProgress(out, { tty: false, clock: () => now });
    p.step('資料と検索索引を読み込み中');
    now += 300;
    p.step('類義語辞書を準備中');
    now += 4_000;
    p.step('範囲外判定モデルを較正中');
    now += 2_500;
    p.done();
    expect(text()).toBe(
      [
        '起動しています（資料と検索索引を読み込んでいます）…',
        '  [1] 資料と検索索引を読み込み中… 完了（0.3 秒）',
        '検索索引を作成しています。初回と、資料やソフトウェアが更新されたときだけ行います（静かな環境で数秒、混んでいると20秒ほど）。',
        '  [2] 類義語辞書を準備中… 完了（4.0 秒）',
        '  [3] 範囲外判定モデルを較正中… 完了（2.5 秒）',
        '準備ができました（6.8 秒）。',
        '',
      ].join('\n'),
    );
  });

  it('counts the seconds of a long step on a TTY, on the same line', async () => {
    const { out, text } = sink();
    let now = 0;
    const p = createStartupProgress(out, { tty: true, clock: () => now, tickMs: 5 });
    p.step('オフラインの埋め込み（LSA）を学習中');
    now = 3_200;
    await new Promise((r) => setTimeout(r, 30));
    p.done();
    expect(text()).toContain('\r\x1b[2K  [1] オフラインの埋め込み（LSA）を学習中… 3 秒経過');
    expect(text()).toContain('\r\x1b[2K  [1] オフラインの埋め込み（LSA）を学習中… 完了（3.2 秒）\n');
    expect(text()).toContain('検索索引を作成しています');
  });

  it('gets its steps from the application as it starts (loading the index, opening the database)', async () => {
    const steps: string[] = [];
    const dir = dataDirWithIndex();
    const app = await createApp(loadConfig({ DATA_DIR: dir }, dir), createLogger('warn'), { progress: (s) => steps.push(s) });
    app.close();
    // the prebuilt index is read, not built
    expect(steps).toEqual(['資料と検索索引を読み込み中', 'データベースを開いています']);
  });
});
