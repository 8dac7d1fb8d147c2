/**
 * `npm run not-stated [-- FILE]`: the "not stated" outcome measured on fact questions
 * (knowledge/calibration/not-stated.jsonl by default). Each line asks for one kind of fact about a
 * thing the documents name; `type` says whether the documents state it (`gold` quotes where) or not.
 *
 * Prints, per kind of fact, how many unstated facts were said to be missing (「資料には…の記載が
 * ありません」) or refused, and how many stated ones were answered, with the quoted fact among the
 * citations. Nothing is fitted on this file: it measures facts.ts and fact-check.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createAssistant } from '../src/app.js';
import { FACT_KINDS } from '../src/retrieval/facts.js';

const Line = z.object({
  id: z.string(),
  question: z.string().min(1),
  type: z.enum(['not_stated', 'stated']),
  factKind: z.enum(FACT_KINDS),
  entity: z.string(),
  gold: z.string().optional(),
});
type Line = z.infer<typeof Line>;

/** NFKC without white space: the extraction left stray spaces, and a quote matches across them. */
const squashed = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '');

interface Tally {
  notStated: number;
  saidMissing: number;
  refused: number;
  stated: number;
  answered: number;
  cited: number;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const file = process.argv[2] ?? join(config.knowledgeDir, 'calibration', 'not-stated.jsonl');
  if (!existsSync(file)) throw new Error(`質問のファイル ${file} が見つかりません`);
  const lines: Line[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        json = undefined;
      }
      const parsed = Line.safeParse(json);
      if (!parsed.success) throw new Error(`${file} の ${i + 1} 行目を読み取れません（id, question, type, factKind, entity を持つ JSON が必要です）`);
      return parsed.data;
    });
  const assistant = await createAssistant(config, createLogger('warn'));
  const empty = (): Tally => ({ notStated: 0, saidMissing: 0, refused: 0, stated: 0, answered: 0, cited: 0 });
  const tallies = new Map<string, Tally>(FACT_KINDS.map((k) => [k, empty()]));
  const total = empty();
  const misses: string[] = [];
  const started = Date.now();
  for (const line of lines) {
    const r = await assistant.ask(line.question);
    // counted for the question's kind and for the whole set
    const count = (field: keyof Tally): void => {
      tallies.get(line.factKind)![field]++;
      total[field]++;
    };
    if (line.type === 'not_stated') {
      count('notStated');
      if (r.scope.kind === 'not_stated') count('saidMissing');
      else if (r.outOfScope) count('refused');
      else misses.push(`  ${line.id} 答えた（資料にない事実）: ${line.question}`);
    } else {
      count('stated');
      if (r.outOfScope) misses.push(`  ${line.id} 答えなかった（資料にある事実）: ${line.question}`);
      else {
        count('answered');
        if (line.gold && r.citations.some((c) => squashed(c.text).includes(squashed(line.gold!)))) count('cited');
      }
    }
  }
  console.log(`事実を尋ねる質問 ${lines.length} 件（資料にない ${total.notStated}、資料にある ${total.stated}）、${Date.now() - started} ms\n`);
  const row = (name: string, t: Tally): string =>
    `${name.padEnd(8)} 資料にない ${String(t.notStated).padStart(3)} 件: 記載なしと答えた ${String(t.saidMissing).padStart(3)}・断った ${String(t.refused).padStart(2)}（再現率 ${t.notStated ? ((t.saidMissing + t.refused) / t.notStated).toFixed(3) : '  -  '}）   資料にある ${String(t.stated).padStart(2)} 件: 答えた ${String(t.answered).padStart(2)}・出典に事実 ${String(t.cited).padStart(2)}`;
  for (const [kind, t] of tallies) if (t.notStated + t.stated) console.log(row(kind, t));
  console.log(row('すべて', total));
  if (misses.length) console.log(`\nミス:\n${misses.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
