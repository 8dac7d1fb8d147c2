/** Provider administration: review of registrations, CSV import (with dry run) and export. */
import { authorize } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { Ctx } from './context.js';
import type { Block, Effect } from '../engine/types.js';
import { text } from '../engine/types.js';
import { stripControlCharacters } from '../knowledge/normalize.js';
import { ENCODING_LABEL } from '../csv/decode.js';
import { errorLines } from '../csv/reader.js';
import { datedFileName } from '../csv/time.js';
import { exportProvidersCsv, templateCsv } from './csv.js';
import { countsText, importProvidersCsv } from './import.js';
import { ImportCancelledError, ImportConflictError } from './merge.js';
import { ImportBusyError } from './staging.js';
import { providerCard } from './card.js';
import { PROVIDERS } from '../messages/providers.js';

const denied = (ctx: Ctx, action: 'providers.review' | 'providers.import' | 'providers.export'): Handled | null => {
  const d = authorize(ctx.services, ctx.actor, action);
  return d.ok ? null : handled([text(d.message, { ephemeral: true })]);
};

export function pendingReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'providers.review');
  if (no) return no;
  const list = ctx.services.providers.pending();
  if (!list.length) return handled([text(PROVIDERS.noPending)]);
  const blocks: Block[] = [{ type: 'header', text: PROVIDERS.pendingHeader(list.length) }];
  for (const p of list.slice(0, 10)) {
    blocks.push(providerCard(ctx, p), { type: 'actions', controls: [{ kind: 'button', action: 'provider:approve', value: String(p.id), label: PROVIDERS.approveNumbered(p.id), style: 'primary' }, { kind: 'button', action: 'provider:reject', value: String(p.id), label: PROVIDERS.rejectNumbered(p.id), style: 'danger' }] });
  }
  if (list.length > 10) blocks.push({ type: 'context', text: PROVIDERS.pendingMore(list.length - 10) });
  return handled([{ blocks }]);
}

function outcomeEffect(ctx: Ctx, id: number, approved: boolean, note: string | null): Effect[] {
  const p = ctx.services.providers.get(id);
  if (!p?.submittedBy || !p.submittedPlatform) return [];
  return [
    {
      type: 'deliver',
      target: { platform: p.submittedPlatform, userId: p.submittedBy },
      reason: 'user_notice',
      reply: {
        blocks: [
          { type: 'header', text: approved ? PROVIDERS.approvedHeader : PROVIDERS.rejectedHeader },
          { type: 'text', text: approved ? PROVIDERS.approvedText(p.name, id) : PROVIDERS.rejectedText(p.name, id, note) },
        ],
      },
    },
  ];
}

/** provider:approve / provider:reject buttons and the rejection form. */
export function providerReviewAction(ctx: Ctx, action: string, value: string, fields?: Record<string, string>): Handled {
  const no = denied(ctx, 'providers.review');
  if (no) return no;
  const id = Number(value);
  const p = Number.isInteger(id) ? ctx.services.providers.get(id) : null;
  if (!p) return handled([text(PROVIDERS.applicationNotFound, { ephemeral: true })]);
  if (p.status !== 'pending') return handled([text(PROVIDERS.alreadyReviewed(id, p.status === 'approved'), { ephemeral: true })]);
  if (action === 'provider:approve') {
    ctx.services.providers.setStatus(id, 'approved', null, ctx.now);
    return handled([text(PROVIDERS.approved(id, p.name))], outcomeEffect(ctx, id, true, null));
  }
  if (action === 'provider:reject' && !fields) {
    return handled([
      {
        blocks: [{ type: 'text', text: PROVIDERS.rejectPrompt(id) }],
        ephemeral: true,
        form: { id: 'provider:reject', title: PROVIDERS.rejectTitle(id), submitLabel: PROVIDERS.rejectSubmit, state: String(id), fields: [{ id: 'reason', label: PROVIDERS.rejectReason, kind: 'textarea', required: true, maxLength: 500 }] },
      },
    ]);
  }
  if (action === 'provider:reject') {
    const reason = (fields?.reason ?? '').trim();
    if (!reason) return handled([text(PROVIDERS.rejectReasonEmpty, { ephemeral: true })]);
    ctx.services.providers.setStatus(id, 'rejected', reason, ctx.now);
    return handled([text(PROVIDERS.rejected(id, p.name))], outcomeEffect(ctx, id, false, reason));
  }
  return handled([text(PROVIDERS.staleAction, { ephemeral: true })]);
}

export function exportProvidersReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'providers.export');
  if (no) return no;
  const { providers, kb, config } = ctx.services;
  // one read transaction: the count and the file are one snapshot, even while the CLI imports
  const { count, data } = providers.snapshot(() => ({ count: providers.count(), data: exportProvidersCsv(providers.iterate(), kb.taxonomy) }));
  return handled([{ blocks: [{ type: 'text', text: PROVIDERS.exported(count) }], file: { name: datedFileName('providers', ctx.now, config.timeZone), mime: 'text/csv', data } }]);
}

export function templateReply(ctx: Ctx): Handled {
  void ctx;
  return handled([{ blocks: [{ type: 'text', text: PROVIDERS.template }], file: { name: 'providers-template.csv', mime: 'text/csv', data: templateCsv() } }]);
}

export function importHelp(ctx: Ctx): Handled {
  const no = denied(ctx, 'providers.import');
  if (no) return no;
  return handled([text(PROVIDERS.importHelp)]);
}

/** Whether a message that carries a file asks to import it (「インポート」「取り込み」 with the CSV attached). */
export function asksForImport(text: string): boolean {
  return /インポート|取り込み|取込|import/i.test(text);
}

/** 「/pf-provider インポート [確認] 取込.csv」: an import of a local file (the terminal), or null. */
export function localImport(command: string, args: string): { path: string; args?: string } | null {
  const file = command === 'pf-provider' ? /^(インポート|取り込み|取込|import)\s+(?:(確認|ドライラン)\s+)?(\S+\.csv)$/i.exec(args) : null;
  return file ? { path: file[3]!, ...(file[2] ? { args: file[2] } : {}) } : null;
}

/**
 * An uploaded CSV: validated whole; written only when every row is valid (unless dry run).
 * `outside` runs the import without holding the engine's turn, so other users keep being answered
 * while a large file is checked and written (in short batches, invisible until the commit).
 */
export async function providerImportFile(ctx: Ctx, fileName: string, data: Buffer, args: string, outside?: <T>(io: () => Promise<T>) => Promise<T>): Promise<Handled> {
  const no = denied(ctx, 'providers.import');
  if (no) return no;
  const dryRun = /(確認|ドライラン|dry)/i.test(args);
  const { municipalities, config, kb, providers } = ctx.services;
  const names = config.municipalitiesFile ? municipalities.all(true).map((m) => m.name) : [];
  const source = PROVIDERS.importSource(stripControlCharacters(fileName).slice(0, 100));
  let outcome;
  try {
    outcome = await importProvidersCsv(providers, data, { taxonomy: kb.taxonomy, municipalities: names, suggest: (n) => municipalities.find(n).map((m) => m.name).slice(0, 3), defaultSource: source }, { dryRun, now: ctx.now, ...(outside ? { outside } : {}) });
  } catch (error) {
    if (error instanceof ImportBusyError || error instanceof ImportCancelledError || error instanceof ImportConflictError) return handled([text(error.userMessage, { ephemeral: true })]);
    throw error;
  }
  const encoding = ENCODING_LABEL[outcome.encoding];
  if (outcome.errors.length) {
    const lines = errorLines(outcome.errors, 50);
    return handled([
      {
        blocks: [
          { type: 'header', text: PROVIDERS.importFailed(outcome.errors.length) },
          { type: 'text', text: PROVIDERS.importFix },
          { type: 'list', items: lines.slice(0, 50) },
          ...(lines.length > 50 ? [{ type: 'context' as const, text: lines[50]! }] : []),
        ],
      },
    ]);
  }
  if (dryRun) {
    return handled([text(PROVIDERS.dryRun(outcome.rows, countsText(outcome), encoding))]);
  }
  return handled([text(PROVIDERS.imported(countsText(outcome), encoding))]);
}
