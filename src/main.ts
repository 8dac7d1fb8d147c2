/**
 * `npm start`: starts Slack (Socket Mode with SLACK_APP_TOKEN, HTTP otherwise) and/or Discord when
 * their tokens are set — both can run in one process — and the terminal chat when neither is.
 * SIGTERM/SIGINT stop new work, let in-flight events finish within SHUTDOWN_TIMEOUT_MS, then close
 * connections and the database.
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { KnowledgeError } from './knowledge/errors.js';
import { createLogger } from './logger.js';

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const terminalOnly = !config.slack && !config.discord;
  // the terminal chat keeps stdout for the conversation: logs stay quiet unless asked for
  const logger = createLogger(terminalOnly && config.logLevel === 'info' ? 'warn' : config.logLevel);
  // A library can reject a promise nobody awaits (discord.js does on a gateway packet it cannot
  // parse). One bad event must not take the bot down for everyone: log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, '処理されなかったエラーを記録しました（動作は続けます）'));
  const app = await createApp(config, logger, { progress: (step) => logger.info(step) });
  await app.assistant.warmUp();
  const { manifest, stale } = app.assistant.index;
  const adapters: Stoppable[] = [];
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
    const { startSlack } = await import('../adapters/slack/index.js');
    adapters.push(await startSlack(app));
  }
  if (config.discord) {
    const { startDiscord } = await import('../adapters/discord/index.js');
    adapters.push(await startDiscord(app));
  }
  if (terminalOnly) {
    const { runTerminal } = await import('../adapters/terminal/index.js');
    await runTerminal({ engine: app.engine, input: process.stdin, output: process.stdout });
    await shutdown('EOF');
  }
}

main().catch((error: unknown) => {
  if (error instanceof KnowledgeError) process.stderr.write(`知識ベースにエラーがあります: ${error.message}\n`);
  else process.stderr.write(`起動に失敗しました: ${(error as Error).message}\n`);
  process.exit(1);
});
