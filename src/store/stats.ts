/** Usage figures for admins: what users ask, what the knowledge base does not answer, and votes. */
import { csvBuffer } from '../csv/writer.js';
import { DEFAULT_TIME_ZONE, localDateTime } from '../csv/time.js';
import type { Db } from './db.js';
import { ADMIN } from '../messages/admin.js';
import { M } from '../messages/core.js';

export interface UsageStats {
  days: { day: string; questions: number; outOfScope: number }[];
  outOfScope: { at: number; question: string }[];
  votes: { up: number; down: number };
  downvoted: { question: string; at: number }[];
  topCited: { title: string; page: number | null; source: string; count: number }[];
  total: number;
}

const DAY = 86_400_000;
/** Words of the usage CSV in Japanese (the stored codes are English). */
const PLATFORM_LABEL: Record<string, string> = M.platformLabels;
const INTENT_LABEL: Record<string, string> = ADMIN.intentLabels;
const JST = 9 * 3600_000;

/** The usage figures, read from the answers and feedback tables (admins' 「/pf 統計」). */
export class StatsRepository {
  constructor(private readonly db: Db) {}

  /** Figures of the last `days` days. */
  usage(now: number, days = 14): UsageStats {
    return usageStats(this.db, now, days);
  }

  /** Every answer of the last `days` days with its votes, as CSV (dates in `timeZone`). */
  csv(now: number, days = 90, timeZone = DEFAULT_TIME_ZONE): Buffer {
    return usageCsv(this.db, now, days, timeZone);
  }
}

function usageStats(db: Db, now: number, days: number): UsageStats {
  const since = now - days * DAY;
  const rows = db.prepare('SELECT created_at, out_of_scope, question, citations FROM answers WHERE created_at >= ? ORDER BY created_at').all(since) as { created_at: number; out_of_scope: number; question: string; citations: string }[];
  const byDay = new Map<string, { questions: number; outOfScope: number }>();
  const cited = new Map<string, { title: string; page: number | null; source: string; count: number }>();
  for (const r of rows) {
    const day = new Date(r.created_at + JST).toISOString().slice(0, 10);
    const d = byDay.get(day) ?? { questions: 0, outOfScope: 0 };
    d.questions++;
    if (r.out_of_scope) d.outOfScope++;
    byDay.set(day, d);
    // grouped by the place the list shows (document, page, section), and counted once per answer:
    // an answer citing three passages of one section cited that place once, not three times
    const places = new Set<string>();
    for (const c of JSON.parse(r.citations) as { passageId: string; title: string; page: number | null; source: string }[]) {
      const place = `${c.source}|${c.page ?? ''}|${c.title}`;
      if (places.has(place)) continue;
      places.add(place);
      const e = cited.get(place) ?? { title: c.title, page: c.page, source: c.source, count: 0 };
      e.count++;
      cited.set(place, e);
    }
  }
  const votes = db.prepare('SELECT SUM(vote = 1) AS up, SUM(vote = -1) AS down FROM feedback f JOIN answers a ON a.id = f.answer_id WHERE a.created_at >= ?').get(since) as { up: number | null; down: number | null };
  const downvoted = db.prepare('SELECT a.question, f.created_at AS at FROM feedback f JOIN answers a ON a.id = f.answer_id WHERE f.vote = -1 AND a.created_at >= ? ORDER BY f.created_at DESC LIMIT 20').all(since) as { question: string; at: number }[];
  return {
    days: [...byDay].map(([day, d]) => ({ day, ...d })),
    outOfScope: rows.filter((r) => r.out_of_scope).slice(-20).reverse().map((r) => ({ at: r.created_at, question: r.question })),
    votes: { up: votes.up ?? 0, down: votes.down ?? 0 },
    downvoted,
    topCited: [...cited.values()].sort((a, b) => b.count - a.count).slice(0, 10),
    total: rows.length,
  };
}

/** Every answer of the period with its votes, as CSV (UTF-8 with BOM). */
function usageCsv(db: Db, now: number, days: number, timeZone: string): Buffer {
  const rows = db
    .prepare(
      `SELECT a.id, a.created_at, a.platform, a.question, a.intent, a.out_of_scope, a.probability, a.citations, a.used_llm,
              COALESCE(SUM(f.vote = 1), 0) AS up, COALESCE(SUM(f.vote = -1), 0) AS down
       FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id WHERE a.created_at >= ? GROUP BY a.id ORDER BY a.id`,
    )
    .all(now - days * DAY) as Record<string, unknown>[];
  const table = rows.map((r) => [
    String(r.id), localDateTime(Number(r.created_at), timeZone), PLATFORM_LABEL[String(r.platform)] ?? String(r.platform), String(r.question), INTENT_LABEL[String(r.intent)] ?? String(r.intent),
    r.out_of_scope ? ADMIN.csvOutOfScope : '', Number(r.probability).toFixed(2),
    (JSON.parse(String(r.citations)) as { title: string; page: number | null }[]).map((c) => `${c.title}${c.page ? ` P.${c.page}` : ''}`).join(' / '),
    r.used_llm ? ADMIN.csvGenerated : ADMIN.csvOffline, String(r.up), String(r.down),
  ]);
  const header = ['ID', timeZone === DEFAULT_TIME_ZONE ? ADMIN.csvTimeJst : ADMIN.csvTime(timeZone), ADMIN.csvPlatform, ADMIN.csvQuestion, ADMIN.csvIntent, ADMIN.csvOutOfScope, ADMIN.csvProbability, ADMIN.csvSources, ADMIN.csvMethod, '👍', '👎'];
  return csvBuffer(header, table);
}
