/**
 * The one contract between the core and a platform adapter (as vercel/chat's `Adapter`): an
 * adapter starts and stops, parses its platform's events into neutral InboundEvents, hands them to
 * the core, renders what comes back, and is the sink for what the core sends to its platform
 * unasked (hand-offs, desk replies, notices). It holds no business rule: what is slow, what is an
 * import, which completions exist, what the menu says, all come from the core.
 */
import type { Logger } from '../logger.js';
import type { ConnectionState, Health } from '../health.js';
import type { Effect, EngineResult, InboundEvent, Platform, Reply } from './types.js';

export interface Adapter {
  /** The platform id the adapter registers under: actors and effect targets carry it. */
  readonly platform: Platform;
  /** Connects (or starts reading) and resolves once events can arrive. */
  start(): Promise<void>;
  /** Disconnects; events no longer arrive. */
  stop(): Promise<void>;
  /** Delivers an effect addressed to this platform (a hand-off, a desk reply, a notice). */
  deliver(effect: Effect): Promise<void>;
  /** Resolves when the adapter ends by itself (the terminal when its input closes); absent when it never does. */
  readonly ended?: Promise<void>;
}


/** What the core offers an adapter: the engine, the relay to the other platforms, and bookkeeping. */
export interface Core extends EngineApi {
  /** Delivers an effect through the adapter of its target platform (logged when none runs). */
  relay(effect: Effect): Promise<void>;
  /** Runs adapter work a shutdown waits for (receiving, handling, sending). */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** How the service is doing, for /health (src/engine/health.ts): connections, database, language model. */
  health(): Health;
  /** An adapter reports a connection's state (`slack.auth`, `slack.socket`, `discord.gateway`) for /health. */
  connection(name: string, state: ConnectionState, detail?: string): void;
  logger: Logger;
  limits: { maxUploadBytes: number };
}

/** The adapters that run in this process, by platform: where effects are relayed. */
export class Adapters {
  private readonly byPlatform = new Map<Platform, Adapter>();

  constructor(private readonly logger: Logger) {}

  register(adapter: Adapter): void {
    this.byPlatform.set(adapter.platform, adapter);
  }

  all(): Adapter[] {
    return [...this.byPlatform.values()];
  }

  async relay(effect: Effect): Promise<void> {
    const adapter = this.byPlatform.get(effect.target.platform);
    if (adapter) await adapter.deliver(effect);
    else this.logger.warn({ platform: effect.target.platform, reason: effect.reason }, 'この通知の送り先のプラットフォームは接続されていません');
  }
}

/** What the engine offers the adapters (structural, so an adapter does not depend on the services type). */
export interface EngineApi {
  handle(event: InboundEvent): Promise<EngineResult>;
  claimDelivery(platform: string, id: string): boolean;
  /** Gives a claim back after a failed handling, so the platform's retry is answered. */
  releaseDelivery(platform: string, id: string): void;
  isSlow(command: string, args: string): boolean;
  fileRequest(text: string): string | null;
  localFileRequest(command: string, args: string): { purpose: string; path: string; args?: string } | null;
  commandFilePurpose(command: string): string | null;
  /** Whether the actor may upload a file for this purpose: adapters ask before downloading anything. */
  mayUpload(actor: InboundEvent['actor'], purpose: string): boolean;
  complete(field: string, typed: string): string[];
  /** The menu as a greeting; for a known user, with a note of a flow they left unfinished here. */
  welcome(actor?: InboundEvent['actor']): Reply;
}
