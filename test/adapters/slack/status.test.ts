/**
 * Slack's working status while a slow answer is prepared (issue 18): the language-model path
 * against a fake OpenAI-compatible server that takes its time, a mention answered in its thread.
 * Where Slack accepts assistant.threads.setStatus the thread shows "<app> が資料を確認しています…"
 * and no note is posted; where it refuses, the note 「資料を確認しています…」 is posted after a
 * second and replaced by the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { D } from '../../../src/messages/dialog.js';
import { FakeOpenAI } from '../../fakes/openai-api.js';
import { callText } from '../../fakes/slack-api.js';
import { nextSeq, startSlackBot, type SlackBot } from '../../helpers/slack.js';

let rig: SlackBot;
let openai: FakeOpenAI;

beforeAll(async () => {
  openai = new FakeOpenAI();
  await openai.start();
  rig = await startSlackBot({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: openai.baseUrl, EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: '8000' });
  openai.delayMs = 1500;
});
afterAll(async () => {
  await rig.stop();
  await openai.stop();
});

async function mention(text: string, channel: string): Promise<string> {
  const n = nextSeq();
  const ts = `1700000400.${String(n).padStart(6, '0')}`;
  const body = JSON.stringify({ team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev-status-${n}`, event: { type: 'app_mention', user: 'USTATUS', text: `<@UBOT> ${text}`, channel, ts, team: 'T1' } });
  expect((await rig.slack.post(body, 'application/json')).status).toBe(200);
  return ts;
}

describe('Slack: a slow answer shows that it is being prepared', () => {
  it('sets the thread status while the model answers, posts no working note, and clears the status after the answer', async () => {
    const { fake } = rig;
    const from = fake.calls.length;
    const ts = await mention('ツドレバって何社参加した？', 'CSTATUS');
    const set = await fake.waitFor('assistant.threads.setStatus', () => true, from);
    expect(set.args).toMatchObject({ channel_id: 'CSTATUS', thread_ts: ts, status: D.typingStatus });
    const answer = await fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts, from, 15_000);
    expect(callText(answer)).toContain('資料によると');
    // the status was set before the answer, and cleared after it
    const statuses = fake.find('assistant.threads.setStatus', from);
    await fake.waitFor('assistant.threads.setStatus', (c) => c.args.status === '', from);
    expect(fake.calls.indexOf(statuses[0]!)).toBeLessThan(fake.calls.indexOf(answer));
    expect(fake.find('chat.postMessage', from).filter((c) => callText(c).includes('資料を確認しています'))).toEqual([]);
    expect(fake.find('chat.update', from)).toEqual([]);
  }, 30_000);

  it('posts the working note after a second where Slack refuses the status, and replaces it with the answer', async () => {
    const { fake } = rig;
    fake.failures.set('assistant.threads.setStatus', () => 'missing_scope');
    try {
      const from = fake.calls.length;
      const ts = await mention('ツドレバって何社参加した？', 'COLD');
      const note = await fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts, from, 10_000);
      expect(callText(note)).toContain('資料を確認しています');
      const update = await fake.waitFor('chat.update', (c) => c.args.ts === note.ts, from, 15_000);
      expect(callText(update)).toContain('資料によると');
      expect(rig.app.logs.join('')).toContain('Slack のスレッドの状態表示が使えないため');
    } finally {
      fake.failures.clear();
    }
  }, 30_000);
});
