/**
 * The keeper's structured log (pino): one JSON line per decision on stdout, pretty-printed (pino-pretty, in the same
 * process) when stdout is a terminal. Bigints become decimal strings.
 */
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

/** A pino logger at `level`; `pretty` defaults to "stdout is a terminal". */
export function createLogger(level: string, prettyPrint: boolean = process.stdout.isTTY === true): Logger {
  const options = { level, base: { service: "ballast-keeper" } };
  if (prettyPrint) return pino(options, pretty({ colorize: true, sync: true, ignore: "pid,hostname,service" }));
  return pino(options, pino.destination({ sync: true }));
}

/** `fields` with every bigint as a decimal string (JSON has no bigint). */
export function plain(fields: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Record<
    string,
    unknown
  >;
}
