/**
 * Downloads a file a user shared, only from the platform's own file hosts and never more than the
 * upload cap (issue 17: check before fetch). Slack's `url_private` needs the bot token, so a URL
 * on any other host is refused before a request is made; the body is read only after the
 * announced length fits, and reading stops as soon as it passes the cap.
 */

/** The outcome: the bytes, `too-large`, or `refused` (a host not allowed) or `failed`. */
export type Download = { ok: true; data: Buffer } | { ok: false; reason: 'too-large' | 'refused' | 'failed' };

export interface DownloadOptions {
  /** Hosts (host[:port]) a file may come from. */
  hosts: readonly string[];
  maxBytes: number;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** The file hosts of a Slack API base URL: its own host and `files.` of its domain (files.slack.com for slack.com). */
export function slackFileHosts(apiUrl: string | undefined): string[] {
  const api = new URL(apiUrl ?? 'https://slack.com/api/');
  return [api.host, `files.${api.hostname.replace(/^(www|api)\./, '')}`];
}

/** Discord's attachment hosts, and the configured REST host (a private deployment, or a test's fake). */
export function discordFileHosts(apiUrl: string | undefined): string[] {
  return ['cdn.discordapp.com', 'media.discordapp.net', ...(apiUrl ? [new URL(apiUrl).host] : [])];
}

export function allowedUrl(raw: string, hosts: readonly string[]): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return hosts.includes(url.host) ? url : null;
}

export async function download(raw: string | undefined, options: DownloadOptions): Promise<Download> {
  const url = raw ? allowedUrl(raw, options.hosts) : null;
  if (!url) return { ok: false, reason: 'refused' };
  try {
    // redirect: 'manual' keeps the token from following a redirect to another host
    const res = await fetch(url, { headers: options.headers ?? {}, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'failed' };
    }
    const announced = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(announced) && announced > options.maxBytes) {
      await res.body.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large' };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(Buffer.from(value));
    }
    return { ok: true, data: Buffer.concat(chunks) };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}
