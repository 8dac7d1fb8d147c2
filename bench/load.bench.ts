/**
 * Load benchmark: the real bot (`bin/main.ts` in its own process, Slack over HTTP, offline answers)
 * receives correctly signed Slack requests — mentions with questions, slash commands and button
 * actions, plus retried deliveries of some mentions — 50 at a time on loopback, with a fake Slack
 * API that records every reply. Reports ack p50/p99 (target: all ≤ 3 s), whether every request was
 * answered exactly once (retries must not answer again), and the bot's peak memory.
 *
 *   npm run bench -- load [REQUESTS] [CONCURRENCY]
 *
 * With PF_BENCH_DEBUG=1 it also lists the slowest acks (kind@sent-at-ms:ack-ms) and the event-loop
 * delay of the benchmark process itself, to tell the bot's delays from the client's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { readEvalFile } from '../src/evaluation/score.js';
import { callText, FakeSlack, slackSignature } from '../test/fakes/slack-api.js';
import { percentile } from './stats.js';

const REQUESTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const USERS = 200;
const SECRET = 'load-bench-secret';
const RETRY_SHARE = 0.05;

interface Sent {
  kind: 'mention' | 'command' | 'action' | 'retry';
  /** What identifies the reply: the thread of a mention, the response_url of a command or action. */
  key: string;
  body: string;
  type: string;
  headers?: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Peak (VmHWM) or current (VmRSS) resident set size of another process (Linux), in MB. */
function rssOfMb(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function plan(fakeUrl: string): Sent[] {
  const questions = readEvalFile(join(PROJECT_ROOT, 'knowledge', 'calibration', 'in-scope.jsonl')).map((i) => i.question);
  const commands: [string, string][] = [['pf-faq', '6'], ['pf-faq', ''], ['pf-step', ''], ['pf-case', '沖縄'], ['pf-provider', '移動販売 行田市'], ['pf', '企業へのアプローチ方法は？'], ['pf', 'ステップ1では何をする？'], ['pf', '']];
  const sent: Sent[] = [];
  for (let n = 0; sent.length < REQUESTS; n++) {
    const user = `U${n % USERS}`;
    const channel = `C${n % USERS}`;
    const r = n % 10;
    if (r < 4) {
      const ts = `1700000000.${String(n).padStart(6, '0')}`;
      const body = JSON.stringify({ team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${n}`, event_time: 1, event: { type: 'app_mention', user, text: `<@UBOT> ${questions[n % questions.length]}`, channel, ts, team: 'T1' } });
      sent.push({ kind: 'mention', key: ts, body, type: 'application/json' });
      if (sent.length < REQUESTS && (n * 7919) % 100 < RETRY_SHARE * 100 * 2.5) sent.push({ kind: 'retry', key: ts, body, type: 'application/json', headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    } else if (r < 7) {
      const [command, text] = commands[n % commands.length]!;
      const body = new URLSearchParams({ command: `/${command}`, text, user_id: user, user_name: 'bench', team_id: 'T1', channel_id: channel, trigger_id: `trig-${n}`, response_url: `${fakeUrl}/respond/${n}` }).toString();
      sent.push({ kind: 'command', key: `/respond/${n}`, body, type: 'application/x-www-form-urlencoded' });
    } else {
      const payload = { type: 'block_actions', user: { id: user, name: 'bench', team_id: 'T1' }, team: { id: 'T1' }, channel: { id: channel }, trigger_id: `trig-${n}`, response_url: `${fakeUrl}/respond/${n}`, actions: [{ action_id: 'faq:open::0', type: 'button', value: String(1 + (n % 13)) }] };
      sent.push({ kind: 'action', key: `/respond/${n}`, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), type: 'application/x-www-form-urlencoded' });
    }
  }
  return sent;
}

async function main(): Promise<void> {
  const slack = new FakeSlack();
  await slack.start();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-bench-load-'));
  const bot = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bin', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  bot.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  try {
    const until = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false))) {
      if (Date.now() > until || bot.exitCode !== null) throw new Error(`the bot did not start:\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const sent = plan(slack.url);
    // the bot ready and warmed up, before any request: what it holds at rest
    const idleRss = rssOfMb(bot.pid!, 'VmRSS');
    const endpoint = `http://127.0.0.1:${port}/slack/events`;
    const acks: number[] = [];
    const failures: string[] = [];
    const slow: [number, number, string][] = [];
    let next = 0;
    const started = performance.now();
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sent.length) {
          const s = sent[next++]!;
          const t = performance.now();
          // signed at sending time, as Slack does (the timestamp must be fresh)
          const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': s.type, ...slackSignature(SECRET, s.body), ...s.headers }, body: s.body }).catch((e: Error) => e);
          acks.push(performance.now() - t);
          if (process.env.PF_BENCH_DEBUG) slow.push([t - started, performance.now() - t, s.kind]);
          if (res instanceof Error) failures.push(`${s.kind} ${s.key}: ${res.message}`);
          else {
            await res.arrayBuffer();
            if (res.status !== 200) failures.push(`${s.kind} ${s.key}: HTTP ${res.status}`);
          }
        }
      }),
    );
    const sendSeconds = (performance.now() - started) / 1000;
    loop.disable();
    if (process.env.PF_BENCH_DEBUG) console.log(`bench loop delay max ${(loop.max / 1e6).toFixed(0)} ms p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms`);
    if (process.env.PF_BENCH_DEBUG) console.log(slow.sort((a, b) => b[1] - a[1]).slice(0, 15).map(([at, ms, k]) => `${k}@${at.toFixed(0)}:${ms.toFixed(0)}`).join(' '));

    // every mention: one working note in its thread, replaced once by the answer; every command and action: one reply
    const expected = sent.filter((s) => s.kind !== 'retry');
    const repliesFor = (): Map<string, number> => {
      const counts = new Map<string, number>();
      const add = (key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
      const threadOfNote = new Map<string, string>();
      for (const c of slack.calls) {
        if (c.method === 'respond') add(String(c.args.url));
        if (c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string') {
          add(`note:${c.args.thread_ts}`);
          threadOfNote.set(`${String(c.args.channel)}|${c.ts}`, c.args.thread_ts);
        }
        if (c.method === 'chat.update') {
          const thread = threadOfNote.get(`${String(c.args.channel)}|${String(c.args.ts)}`);
          if (thread) add(thread);
        }
      }
      return counts;
    };
    const deadline = Date.now() + 120_000;
    let counts = repliesFor();
    const answered = (): number => expected.filter((s) => (counts.get(s.key) ?? 0) >= 1).length;
    while (answered() < expected.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      counts = repliesFor();
    }
    const doneSeconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
    counts = repliesFor();
    const lost = expected.filter((s) => !counts.get(s.key));
    const doubled = expected.filter((s) => (counts.get(s.key) ?? 0) > 1 || (s.kind === 'mention' && (counts.get(`note:${s.key}`) ?? 0) !== 1));
    const byKind = (k: Sent['kind']): number => sent.filter((s) => s.kind === k).length;
    const peak = rssOfMb(bot.pid!);
    const answersWithCitations = slack.calls.filter((c) => c.method === 'chat.update' && /📄/.test(callText(c))).length;

    console.log(`送信: ${sent.length} 件（メンション ${byKind('mention')}、コマンド ${byKind('command')}、ボタン ${byKind('action')}、再送 ${byKind('retry')}）、同時 ${CONCURRENCY}、利用者 ${USERS} 人`);
    console.log(`送信完了 ${sendSeconds.toFixed(1)} 秒（${(sent.length / sendSeconds).toFixed(0)} 件/秒）、全回答まで ${doneSeconds.toFixed(1)} 秒`);
    console.log(`ack  p50 ${percentile(acks, 50).toFixed(1)} ms  p99 ${percentile(acks, 99).toFixed(1)} ms  最大 ${Math.max(...acks).toFixed(1)} ms  3 秒超 ${acks.filter((a) => a > 3000).length} 件  失敗 ${failures.length} 件`);
    console.log(`回答: ${expected.length - lost.length} / ${expected.length}（欠落 ${lost.length}、重複 ${doubled.length}）、引用つき回答 ${answersWithCitations}`);
    console.log(`Block Kit 制限違反: ${slack.violations.length}`);
    console.log(`ボットのメモリ (RSS): 待機時 ${idleRss.toFixed(0)} MB、ピーク ${peak.toFixed(0)} MB、終了時 ${rssOfMb(bot.pid!, 'VmRSS').toFixed(0)} MB`);
    for (const f of failures.slice(0, 5)) console.log(`  失敗: ${f}`);
    for (const s of lost.slice(0, 5)) console.log(`  欠落: ${s.kind} ${s.key}`);
    for (const s of doubled.slice(0, 5)) console.log(`  重複: ${s.kind} ${s.key}`);
    if (failures.length || lost.length || doubled.length || acks.some((a) => a > 3000)) process.exitCode = 1;
  } finally {
    bot.kill('SIGTERM');
    await new Promise((r) => bot.once('exit', r));
    await slack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
