/**
 * Retrieval benchmark: index build time, cold start to first answer, per-question latency
 * (p50/p95), peak RSS and retrieval quality, for this project's search and for a plain
 * character-bigram BM25 over the raw source text, side by side.
 *
 *   npm run bench -- retrieval [QUESTIONS.jsonl]
 *
 * The question file defaults to the project's calibration set (knowledge/calibration/in-scope and
 * out-of-scope); pass the dev set to compare with `npm run eval`. Each measurement runs in its own
 * child process so that cold start and peak memory are those of a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { isOutOfScopeItem, readEvalFile, score, type EvalItem, type Outcome, type Scores } from '../src/evaluation/score.js';
import { Bm25Index } from '../src/retrieval/bm25.js';
import { percentile, rssMb } from './stats.js';

/** Timed passes over the question set after the first (cold) answer. */
const PASSES = 5;
const BASELINE_CHUNK = 600;
const BASELINE_STRIDE = 300;

interface Figures {
  buildMs?: number;
  coldStartMs?: number;
  p50?: number;
  p95?: number;
  peakRssMb: number;
  scores?: Scores;
}

function questions(file: string | undefined): EvalItem[] {
  if (file) return readEvalFile(file);
  const dir = join(PROJECT_ROOT, 'knowledge', 'calibration');
  return [...readEvalFile(join(dir, 'in-scope.jsonl')), ...readEvalFile(join(dir, 'out-of-scope.jsonl')).map((i) => ({ ...i, kind: 'out_of_scope', gold: [] }))];
}

async function timeQuestions(items: EvalItem[], ask: (q: string) => Promise<{ outOfScope: boolean; texts: string[] }>): Promise<{ p50: number; p95: number; outcomes: Outcome[] }> {
  const times: number[] = [];
  const outcomes: Outcome[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const item of items) {
      const t = performance.now();
      const r = await ask(item.question);
      times.push(performance.now() - t);
      if (pass === 0) outcomes.push({ item, ...r });
    }
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), outcomes };
}

// ---- child processes -------------------------------------------------------------------------

async function buildOurs(dataDir: string): Promise<Figures> {
  const { loadKnowledge } = await import('../src/knowledge/load.js');
  const { buildIndex } = await import('../src/retrieval/index-store.js');
  const config = loadConfig({ DATA_DIR: dataDir }, dataDir);
  const t = performance.now();
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  await buildIndex(kb, config);
  return { buildMs: performance.now() - t, peakRssMb: rssMb() };
}

async function serveOurs(dataDir: string, items: EvalItem[]): Promise<Figures> {
  // performance.now() counts from process start: cold start includes loading the modules
  // (imported here, so that the baseline's process does not load them)
  const { createAssistant } = await import('../src/app.js');
  const assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir }, dataDir));
  await assistant.ask(items[0]!.question);
  const coldStartMs = performance.now();
  const { p50, p95, outcomes } = await timeQuestions(items, async (q) => {
    const r = await assistant.ask(q);
    return { outOfScope: r.outOfScope, texts: r.citations.map((c) => c.text) };
  });
  return { coldStartMs, p50, p95, peakRssMb: rssMb(), scores: score(outcomes) };
}

function bigrams(text: string): string[] {
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** The plain baseline: raw text in overlapping 600-character windows, character-bigram BM25. */
function buildBaseline(): { index: Bm25Index; chunks: string[] } {
  const rawDir = join(PROJECT_ROOT, 'knowledge', 'raw');
  const chunks: string[] = [];
  for (const file of readdirSync(rawDir).filter((f) => f.endsWith('.txt')).sort()) {
    const text = readFileSync(join(rawDir, file), 'utf8');
    for (let i = 0; i < text.length; i += BASELINE_STRIDE) chunks.push(text.slice(i, i + BASELINE_CHUNK));
  }
  return { index: Bm25Index.build(chunks.map(bigrams)), chunks };
}

async function serveBaseline(items: EvalItem[]): Promise<Figures> {
  const t = performance.now();
  const { index, chunks } = buildBaseline();
  const buildMs = performance.now() - t;
  const search = (q: string): string[] => {
    const weights = new Map<string, number>();
    for (const g of bigrams(q)) weights.set(g, 1);
    return [...index.score(weights)].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([doc]) => chunks[doc]!);
  };
  search(items[0]!.question);
  const coldStartMs = performance.now();
  const { p50, p95, outcomes } = await timeQuestions(items, async (q) => ({ outOfScope: false, texts: search(q) }));
  return { buildMs, coldStartMs, p50, p95, peakRssMb: rssMb(), scores: score(outcomes) };
}

// ---- orchestration -----------------------------------------------------------------------------

function child(mode: string, args: string[]): Figures {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', mode, ...args], { encoding: 'utf8', cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

function row(label: string, a: string, b: string): string {
  return `${label.padEnd(28)}${a.padStart(14)}${b.padStart(16)}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [, mode, dir, file] = argv;
    const figures = mode === 'build' ? await buildOurs(dir!) : mode === 'serve' ? await serveOurs(dir!, questions(file || undefined)) : await serveBaseline(questions(dir || undefined));
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const file = argv[0];
  const items = questions(file);
  const answerable = items.filter((i) => !isOutOfScopeItem(i)).length;
  console.log(`質問: ${file ?? 'knowledge/calibration（in-scope + out-of-scope）'} — ${items.length} 件（回答可能 ${answerable}）、各 ${PASSES} 回計測`);
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-retrieval-'));
  try {
    const build = child('build', [dir]);
    const ours = { ...child('serve', [dir, file ?? '']), buildMs: build.buildMs, buildRss: build.peakRssMb };
    const base = child('baseline', [file ?? '']);
    const ms = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
    const r = (s: Scores | undefined, k: 1 | 3 | 5): string => (s && s.answerable ? (s.hitAt[k] / s.answerable).toFixed(3) : '-');
    console.log(row('', 'this project', 'bigram BM25'));
    console.log(row('index build', ms(ours.buildMs), ms(base.buildMs)));
    console.log(row('cold start → first answer', ms(ours.coldStartMs), ms(base.coldStartMs)));
    console.log(row('latency p50', ms(ours.p50), ms(base.p50)));
    console.log(row('latency p95 (target ≤ 50)', ms(ours.p95), ms(base.p95)));
    console.log(row('peak RSS (target ≤ 300)', `${ours.peakRssMb.toFixed(0)} MB`, `${base.peakRssMb.toFixed(0)} MB`));
    console.log(row('peak RSS while building', `${ours.buildRss.toFixed(0)} MB`, '-'));
    console.log(row('hit@1', r(ours.scores, 1), r(base.scores, 1)));
    console.log(row('hit@3', r(ours.scores, 3), r(base.scores, 3)));
    console.log(row('hit@5', r(ours.scores, 5), r(base.scores, 5)));
    const mrr = (s: Scores | undefined): string => (s && s.answerable ? (s.mrr / s.answerable).toFixed(3) : '-');
    console.log(row('MRR@5', mrr(ours.scores), mrr(base.scores)));
    const recall = (s: Scores | undefined): string => (s && s.tp + s.fn ? (s.tp / (s.tp + s.fn)).toFixed(3) : '-');
    const precision = (s: Scores | undefined): string => (s && s.tp + s.fp ? (s.tp / (s.tp + s.fp)).toFixed(3) : 'n/a');
    console.log(row('out-of-scope precision', precision(ours.scores), precision(base.scores)));
    console.log(row('out-of-scope recall', recall(ours.scores), recall(base.scores)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
