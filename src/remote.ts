/**
 * Failures of an OpenAI-compatible server, for both calls the bot makes to one: embeddings
 * (src/retrieval) and chat (src/answering). An error is classified in one word for the log and the
 * status, never shown raw; the host names the server in logs and the start line. Kept below both
 * layers so that retrieval does not import answering.
 */

/** Why a network call failed, as one word for the log and the status. */
export type FailureKind = 'timeout' | 'unreachable' | 'http' | 'malformed' | 'empty' | 'error';

/** Classifies an error of the OpenAI client (or of our own deadline) without showing it raw. */
export function failureOf(error: unknown, signal?: AbortSignal): { kind: FailureKind; detail: string } {
  const e = error as { name?: string; message?: string; status?: number; code?: string; cause?: { code?: string } };
  const message = String(e?.message ?? '');
  if (signal?.aborted || e?.name === 'AbortError' || e?.name === 'TimeoutError' || /timed? ?out|aborted/i.test(message)) return { kind: 'timeout', detail: '' };
  if (typeof e?.status === 'number') return { kind: 'http', detail: `HTTP ${e.status}` };
  if (e?.name === 'SyntaxError' || /JSON|Unexpected token/i.test(message)) return { kind: 'malformed', detail: '' };
  if (/connection|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed/i.test(`${message} ${e?.code ?? ''} ${e?.cause?.code ?? ''}`)) return { kind: 'unreachable', detail: e?.cause?.code ?? e?.code ?? '' };
  if (/空の応答/.test(message)) return { kind: 'empty', detail: '' };
  return { kind: 'error', detail: '' };
}

/** The host of an OpenAI-compatible base URL (what the logs and the start line name). */
export function hostOf(baseUrl: string | undefined): string {
  try {
    return new URL(baseUrl ?? 'https://api.openai.com/v1').host;
  } catch {
    return 'api.openai.com';
  }
}
