/**
 * `npm run -s ask -- [--json] "質問"` and `npm run -s ask -- --json --batch FILE.jsonl`.
 *
 * The JSON form is a stable contract used by outside checks: one object per question,
 * {"id", "intent", "outOfScope", "answer", "citations": [{"source", "title", "page", "text"}]},
 * in input order. Works with no environment set (offline).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createAssistant } from '../src/app.js';
import type { AskResult } from '../src/answering/assistant.js';
import { answerToText } from '../src/answering/compose.js';

const BatchLine = z.object({ id: z.union([z.string(), z.number()]).optional(), question: z.string() }).passthrough();

function toJson(id: string | number | null, r: AskResult): Record<string, unknown> {
  return {
    id,
    intent: r.intent,
    outOfScope: r.outOfScope,
    answer: answerToText(r.answer, false),
    citations: r.citations.map((c) => ({ source: c.source, title: c.title, page: c.page, text: c.text, document: c.document, edition: c.edition })),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const batchAt = args.indexOf('--batch');
  const batchFile = batchAt >= 0 ? args[batchAt + 1] : undefined;
  const question = args.filter((a, i) => !a.startsWith('--') && !(batchAt >= 0 && i === batchAt + 1)).join(' ');
  if (!batchFile && !question.trim()) {
    console.error('使い方: npm run -s ask -- [--json] "質問" ／ npm run -s ask -- --json --batch 質問.jsonl');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const assistant = await createAssistant(config, logger);
  if (batchFile) {
    const lines = readFileSync(batchFile, 'utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        process.stdout.write(`${JSON.stringify({ id: null, line: i + 1, error: '読み取れない行です（{"id": …, "question": …} の JSON が必要です）' })}\n`);
        continue;
      }
      const checked = BatchLine.safeParse(json);
      if (!checked.success) {
        // keep the line's id when it has one, so the output still lines up with the input
        const id = (json as { id?: unknown } | null)?.id;
        process.stdout.write(`${JSON.stringify({ id: typeof id === 'string' || typeof id === 'number' ? id : null, line: i + 1, error: 'question（質問の文字列）がありません' })}\n`);
        continue;
      }
      const parsed = checked.data;
      const r = await assistant.ask(parsed.question);
      process.stdout.write(`${JSON.stringify(toJson(parsed.id ?? null, r))}\n`);
    }
    return;
  }
  const r = await assistant.ask(question);
  if (json) process.stdout.write(`${JSON.stringify(toJson(null, r))}\n`);
  else process.stdout.write(`${answerToText(r.answer)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
