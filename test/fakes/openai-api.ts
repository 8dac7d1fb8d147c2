/**
 * A loopback fake of an OpenAI-compatible server (embeddings and chat completions) for tests of
 * the real @langchain/openai client. Embeddings honour encoding_format "base64" (what the OpenAI
 * client asks for by default, see FIELD-NOTES) and are deterministic: a hashed bag of character
 * bigrams, so that texts sharing words are close.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatMode = 'ok' | 'error500' | 'timeout' | 'malformed' | 'refuse' | 'echo' | 'offtopic';
/** How the fake answers a rerank request (one whose instructions ask to reorder passages). */
export type RerankMode = 'keep' | 'reverse' | 'hang' | 'garbage';
export type EmbeddingsMode = 'ok' | 'hang' | 'error500';

export interface ChatRequest {
  messages: { role: string; content: string }[];
  model: string;
}

const DIMS = 64;

export function fakeEmbedding(text: string): Float32Array {
  const v = new Float32Array(DIMS);
  const chars = [...text.normalize('NFKC')];
  for (let i = 0; i + 1 < chars.length; i++) {
    let h = 2166136261;
    for (const c of chars[i]! + chars[i + 1]!) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
    v[Math.abs(h) % DIMS]! += 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export class FakeOpenAI {
  mode: ChatMode = 'ok';
  /** Appended to the model's answer (to test citation sanitising). */
  extraCitation = '';
  /** Delay before a chat answer (slow work in flight). */
  delayMs = 0;
  /** Rerank requests' answers; `rerankOrder` (1-based ids) wins over the mode when set. */
  rerankMode: RerankMode = 'keep';
  rerankOrder: number[] | undefined;
  embeddingsMode: EmbeddingsMode = 'ok';
  /** Replaces the model's answer text (given the passages it received). */
  reply: ((passages: { 番号: number; 見出し: string; 本文: string }[]) => string) | undefined;
  /** Answer requests (rerank requests are in `reranks`). */
  readonly chats: ChatRequest[] = [];
  readonly reranks: ChatRequest[] = [];
  /** Follow-up rewrite requests: answered as 「{previous}について、{current}」. */
  readonly rewrites: ChatRequest[] = [];
  rewriteMode: 'ok' | 'hang' | 'garbage' = 'ok';
  /** Every request's path, in arrival order. */
  readonly requests: string[] = [];
  readonly embeddingRequests: { input: string[]; encoding_format?: string; model: string }[] = [];
  private server!: Server;
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const json = (status: number, value: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.headers.authorization !== 'Bearer sk-test-key') return json(401, { error: { message: 'bad key' } });
        this.requests.push(req.url ?? '');
        if (req.url?.endsWith('/models')) return json(200, { object: 'list', data: [{ id: 'fake-chat', object: 'model' }] });
        if (req.url?.endsWith('/embeddings')) {
          if (this.embeddingsMode === 'hang') return;
          if (this.embeddingsMode === 'error500') return json(500, { error: { message: 'internal error', type: 'server_error' } });
          const input = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
          this.embeddingRequests.push({ input, ...(typeof body.encoding_format === 'string' ? { encoding_format: body.encoding_format } : {}), model: String(body.model) });
          const data = input.map((t, index) => {
            const vec = fakeEmbedding(t);
            return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? Buffer.from(vec.buffer).toString('base64') : Array.from(vec) };
          });
          return json(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
        }
        if (req.url?.endsWith('/chat/completions')) {
          const request = body as unknown as ChatRequest;
          const reply = (content: string): void =>
            json(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: request.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
          if (request.messages[0]?.content.includes('言い換え')) {
            this.rewrites.push(request);
            if (this.rewriteMode === 'hang') return;
            const [previous, current] = [...request.messages[1]!.content.matchAll(/^(".*")$/gm)].map((m) => JSON.parse(m[1]!) as string);
            return reply(this.rewriteMode === 'garbage' ? '' : `${previous}について、${current}`);
          }
          if (request.messages[0]?.content.includes('並べ替え')) {
            this.reranks.push(request);
            const count = (JSON.parse(request.messages[1]!.content.replace(/^[^\n]*\n/, '')) as unknown[]).length;
            const ids = Array.from({ length: count }, (_, i) => i + 1);
            if (this.rerankOrder) return reply(JSON.stringify({ ids: this.rerankOrder }));
            if (this.rerankMode === 'hang') return;
            if (this.rerankMode === 'garbage') return reply('よく分かりません');
            return reply(JSON.stringify({ ids: this.rerankMode === 'reverse' ? ids.reverse() : ids }));
          }
          this.chats.push(request);
          if (this.mode === 'error500') return json(500, { error: { message: 'internal error', type: 'server_error' } });
          if (this.mode === 'timeout') return void setTimeout(() => json(200, {}), 10_000).unref();
          if (this.mode === 'malformed') {
            res.writeHead(200, { 'content-type': 'application/json' });
            return res.end('{"choices": [ this is not json');
          }
          const passages = JSON.parse(request.messages[1]!.content.replace(/^[^\n]*\n/, '')) as { 番号: number; 見出し: string; 本文: string }[];
          const first = passages[0]!.本文.split('\n').find((l) => l.length > 15) ?? passages[0]!.本文;
          const content =
            this.mode === 'refuse' ? '資料には、このご質問への答えとなる記述がありません。'
            : this.mode === 'echo' ? `承知しました。設定は次のとおりです。\n${request.messages[0]!.content} [1]`
            : this.mode === 'offtopic' ? '今日の天気は晴れで、気温は二十度です。 [1]'
            : this.reply ? this.reply(passages)
            : `資料によると、${first} [1]${this.extraCitation}`;
          const answer = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: request.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
          if (this.delayMs) return void setTimeout(() => json(200, answer), this.delayMs);
          return json(200, answer);
        }
        json(404, { error: { message: 'not found' } });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
