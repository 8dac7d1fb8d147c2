/**
 * The start-up display of the terminal chat: what is being loaded or built, step by step, with the
 * seconds each took, so that a first start that builds the search index (a few seconds on a quiet
 * machine, up to twenty on a busy one) does not look hung. On a TTY the current step's line counts
 * the seconds while it runs; piped output gets one line per step. It writes to the error stream:
 * the conversation keeps standard output.
 */
import type { Writable } from 'node:stream';
import { STARTUP as S } from '../../src/core.js';

export interface StartupProgress {
  /** A step begins (the index builder's and the start-up's own steps, in Japanese). */
  step(what: string): void;
  /** Start-up is over: the last step is closed and the total is printed. */
  done(): void;
}

export interface ProgressOptions {
  /** A terminal that can rewrite its current line (\r). */
  tty: boolean;
  clock?: () => number;
  /** How often a TTY's line is refreshed (ms); 0 turns the ticking off (tests). */
  tickMs?: number;
}

/** Steps of the index builder all end in 「中」 (「語彙索引を作成中（…）」): the first one means the index is being built. */
const BUILDING = /(作成|学習|準備|較正|保存|取得)中/;

export function createStartupProgress(out: Writable, options: ProgressOptions): StartupProgress {
  const clock = options.clock ?? Date.now;
  const started = clock();
  let n = 0;
  let current: { line: string; at: number } | null = null;
  let announcedBuild = false;
  let timer: NodeJS.Timeout | undefined;
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  const write = (s: string): void => void out.write(s);

  const close = (): void => {
    if (!current) return;
    if (timer) clearInterval(timer);
    timer = undefined;
    const took = S.stepDone(seconds(clock() - current.at));
    write(options.tty ? `\r\x1b[2K${current.line} ${took}\n` : ` ${took}\n`);
    current = null;
  };

  write(`${S.starting}\n`);
  return {
    step(what) {
      close();
      if (!announcedBuild && BUILDING.test(what)) {
        announcedBuild = true;
        write(`${S.building}\n`);
      }
      current = { line: S.step(++n, what), at: clock() };
      write(current.line);
      const tick = options.tickMs ?? 1000;
      if (options.tty && tick > 0) {
        const line = current.line;
        const at = current.at;
        timer = setInterval(() => write(`\r\x1b[2K${line} ${S.elapsed(Math.floor((clock() - at) / 1000))}`), tick);
        timer.unref();
      }
    },
    done() {
      close();
      write(`${S.ready(seconds(clock() - started))}\n`);
    },
  };
}
