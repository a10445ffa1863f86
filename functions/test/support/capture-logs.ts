import type { LogSink } from "../../src/logs.js";

export interface LogEntry {
  severity: "INFO" | "WARNING" | "ERROR";
  message: string;
  payload: Record<string, unknown>;
}

/** A LogSink that keeps every entry, for assertions. */
export class CapturedLogs implements LogSink {
  readonly entries: LogEntry[] = [];

  info(message: string, payload: Record<string, unknown>): void {
    this.entries.push({ severity: "INFO", message, payload });
  }

  warn(message: string, payload: Record<string, unknown>): void {
    this.entries.push({ severity: "WARNING", message, payload });
  }

  error(message: string, payload: Record<string, unknown>): void {
    this.entries.push({ severity: "ERROR", message, payload });
  }

  /** Everything written, as one string, for "never contains" assertions. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}
