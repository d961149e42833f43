import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { YogaLogger } from 'graphql-yoga';
import type { LogLevel } from '../config.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default stdout: pretty in a terminal, JSON lines otherwise. */
  destination?: DestinationStream;
  /** Pretty lines instead of JSON; default: when stdout is a terminal. */
  pretty?: boolean;
}

/**
 * Fields that may hold a credential are censored wherever they appear in a line's fields. Code
 * never logs such values on purpose: this is the net under that rule.
 */
const REDACTED_PATHS = ['authorization', 'token', 'password', 'secret', 'secrets', 'value', 'headers.authorization', '*.authorization', '*.token', '*.password', '*.secret', '*.secrets'];

/** The service's logger: pino, JSON lines for a log shipper, or pretty lines in a terminal. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination = pretty
    ? pinoPretty({ colorize: options.destination === undefined, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: options.destination ?? 1 })
    : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      name: 'hookgate',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // An error's fields, never the request or payload it may carry.
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** A logger that writes nothing (tests and scripts that print their own output). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** yoga's own messages as log lines; an unexpected error keeps its stack in `err`. */
export function yogaLogger(logger: Logger): YogaLogger {
  const yoga = logger.child({ component: 'yoga' });
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const err = args.find((arg) => arg instanceof Error);
      const text = args.filter((arg) => typeof arg === 'string').join(' ');
      yoga[level](err ? { err } : {}, text || (err ? 'unexpected error' : 'yoga'));
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
