/**
 * `npm start`: starts Slack (Socket Mode with SLACK_APP_TOKEN, HTTP otherwise) and/or Discord when
 * their tokens are set — both can run in one process — and the terminal chat when neither is.
 * SIGTERM/SIGINT stop new work, let in-flight events finish within SHUTDOWN_TIMEOUT_MS, then close
 * connections and the database.
 */
import type { Adapter } from '../src/core.js';
import { StartupError } from '../src/health.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { KnowledgeError } from '../src/knowledge/errors.js';
import { createLogger } from '../src/logger.js';
import { ensureDataDir } from '../src/store/data-dir.js';
import { nativeModuleProblem } from './native-modules.js';
import { createStartupProgress } from '../adapters/terminal/progress.js';
import { S } from '../src/messages/startup.js';

async function main(): Promise<void> {
  const native = nativeModuleProblem();
  if (native) {
    process.stderr.write(`${native}\n`);
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig();
    // before anything is built in it: an unusable DATA_DIR is one line and exit 1, not a hang
    ensureDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // loaded only now: the app opens the database and the index, which need the addons
  const { createApp } = await import('../src/app.js');
  const terminalOnly = !config.slack && !config.discord;
  // the terminal chat keeps stdout for the conversation: logs stay quiet unless asked for
  const logger = createLogger(terminalOnly && config.logLevel === 'info' ? 'warn' : config.logLevel);
  // A library can reject a promise nobody awaits (discord.js does on a gateway packet it cannot
  // parse). One bad event must not take the bot down for everyone: log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, '処理されなかったエラーを記録しました（動作は続けます）'));
  // the terminal shows what start-up is doing (a first start builds the index); platforms log it
  const display = terminalOnly ? createStartupProgress(process.stderr, { tty: Boolean(process.stderr.isTTY) }) : null;
  const progress = (step: string): void => (display ? display.step(step) : logger.info(step));
  const app = await createApp(config, logger, { progress });
  progress(S.warmUp);
  await app.assistant.warmUp();
  display?.done();
  const { manifest, stale } = app.assistant.index;
  const adapters: Adapter[] = [];
  logger.info(
    {
      slack: config.slack ? (config.slack.appToken ? 'socket-mode' : `http:${config.port}`) : 'off',
      discord: config.discord ? 'on' : 'off',
      answers: app.assistant.answersLabel(),
      embeddings: manifest.embedder,
      passages: manifest.passages,
      staleIndex: stale,
    },
    '起動しました',
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, '停止します（処理中のイベントを待っています）');
    app.engine.stopAccepting();
    // what the adapters are doing includes sending the answers the engine already produced
    const drained = (await app.engine.drain(config.shutdownTimeoutMs)) && (await app.inFlight.drain(config.shutdownTimeoutMs));
    if (!drained) logger.warn('時間内に終わらなかった処理があります');
    await Promise.allSettled(adapters.map((a) => a.stop()));
    app.close();
    logger.info('停止しました');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  if (config.slack) {
    const { createSlackAdapter } = await import('../adapters/slack/index.js');
    adapters.push(createSlackAdapter(app.core, config.slack, { startupTimeoutMs: config.startupTimeoutMs }));
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import('../adapters/discord/index.js');
    adapters.push(createDiscordAdapter(app.core, config.discord, { startupTimeoutMs: config.startupTimeoutMs }));
  }
  if (terminalOnly) {
    const { createTerminalAdapter } = await import('../adapters/terminal/index.js');
    adapters.push(createTerminalAdapter({ core: app.core, input: process.stdin, output: process.stdout, ...(config.terminalDeskFile ? { deskFile: config.terminalDeskFile } : {}) }));
  }
  // /health in any mode when HEALTH_PORT is set (Slack's HTTP mode also serves it on PORT)
  if (config.healthPort !== null) {
    const { startHealthServer } = await import('../adapters/shared/health.js');
    const server = await startHealthServer(config.healthPort, () => app.core.health());
    server.unref();
  }
  for (const adapter of adapters) {
    app.adapters.register(adapter);
    // a refused token or an API unreachable within STARTUP_TIMEOUT_MS throws StartupError: one line, exit 1
    await adapter.start();
  }
  // the terminal ends when its input does: then the bot stops as on a signal
  const ended = adapters.flatMap((a) => (a.ended ? [a.ended] : []));
  if (ended.length) {
    await Promise.race(ended);
    await shutdown('EOF');
  }
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) process.stderr.write(`起動できませんでした: ${error.message}\n`);
  else if (error instanceof KnowledgeError) process.stderr.write(`知識ベースにエラーがあります: ${error.message}\n`);
  else process.stderr.write(`起動に失敗しました: ${(error as Error).message}\n`);
  process.exit(1);
});
