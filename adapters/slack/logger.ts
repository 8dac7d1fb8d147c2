/** Bolt's Logger interface on top of our pino logger (so tokens are redacted the same way). */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core.js';

export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ adapter: 'slack' });
  let level = LogLevel.INFO;
  const msg = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  return {
    debug: (...a: unknown[]) => child.debug(msg(a)),
    info: (...a: unknown[]) => child.info(msg(a)),
    warn: (...a: unknown[]) => child.warn(msg(a)),
    error: (...a: unknown[]) => child.error(msg(a)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
