/** Logs go to stderr (stdout stays for machine-readable output); secrets are redacted by the caller's redactor. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Only shown with --verbose. */
  debug(message: string): void;
}

export function createLogger(options: {
  verbose?: boolean | (() => boolean);
  redact?: (text: string) => string;
  write?: (line: string) => void;
}): Logger {
  const redact = options.redact ?? ((t: string) => t);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: string, message: string) => write(`${level} ${redact(message)}`);
  return {
    info: (m) => emit('info ', m),
    warn: (m) => emit('warn ', m),
    error: (m) => emit('error', m),
    debug: (m) => {
      const verbose = typeof options.verbose === 'function' ? options.verbose() : options.verbose;
      if (verbose) emit('debug', m);
    },
  };
}

/** A logger that keeps lines in memory: for tests and for collecting warnings into reports. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ verbose: true, write: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}
