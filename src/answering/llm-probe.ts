/**
 * The start-up check of an OpenAI-compatible endpoint: one GET of its models list, within the
 * question budget. The start line and the index's start-up logic use the result, so the bot says
 * what it got (「answers: offline (LLM unreachable: host …)」), not what it hoped.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { failureOf, hostOf, type FailureKind } from '../remote.js';

/** The shortest wait for the start-up check. */
export const PROBE_MIN_MS = 5000;

export interface ProbeResult {
  reachable: boolean;
  host: string;
  kind?: FailureKind;
  detail?: string;
}

export async function probeEndpoint(openai: NonNullable<Config['openai']>, logger?: Logger): Promise<ProbeResult> {
  const host = hostOf(openai.baseUrl);
  const base = (openai.baseUrl ?? 'https://api.openai.com/v1').replace(/\/$/, '');
  // at start-up nobody is waiting for an answer yet: a slow server gets a little longer than a question
  const signal = AbortSignal.timeout(Math.max(openai.timeoutMs, PROBE_MIN_MS));
  try {
    const response = await fetch(`${base}/models`, { headers: { authorization: `Bearer ${openai.apiKey}` }, signal });
    await response.body?.cancel();
    // a server without a models list (404) still answers; a refused key or a failing server does not serve
    if (response.status === 401 || response.status === 403 || response.status >= 500) {
      logger?.warn({ host, kind: 'http', detail: `HTTP ${response.status}` }, 'LLM のエンドポイントがエラーを返しました。オフラインで回答します');
      return { reachable: false, host, kind: 'http', detail: `HTTP ${response.status}` };
    }
    return { reachable: true, host };
  } catch (error) {
    const { kind, detail } = failureOf(error, signal);
    logger?.warn({ host, kind, ...(detail ? { detail } : {}) }, `LLM のエンドポイントに${kind === 'timeout' ? '時間内に' : ''}接続できません。オフラインで回答します`);
    logger?.debug({ host, err: error }, 'LLM の接続確認に失敗しました');
    return { reachable: false, host, kind, ...(detail ? { detail } : {}) };
  }
}
