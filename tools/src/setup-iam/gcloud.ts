import { execFile } from "node:child_process";
import { formatCommand } from "../shared/shell.js";

/** Runs gcloud. An interface so that tests can count and script calls without a real gcloud. */
export interface Gcloud {
  /** Resolves with stdout; rejects with a GcloudError when gcloud exits non-zero. */
  run(args: readonly string[]): Promise<string>;
}

export class GcloudError extends Error {
  readonly command: string;
  readonly stderr: string;

  constructor(args: readonly string[], problem: string, stderr: string) {
    super(`${formatCommand("gcloud", args)} ${problem}`);
    this.name = "GcloudError";
    this.command = formatCommand("gcloud", args);
    this.stderr = stderr.trim();
  }
}

/** The gcloud on PATH, run without a shell, with no stdin so that it can never wait for a prompt. */
export function systemGcloud(env: NodeJS.ProcessEnv = process.env): Gcloud {
  return {
    run: (args) =>
      new Promise((resolve, reject) => {
        execFile(
          "gcloud",
          [...args],
          { env, maxBuffer: 16 * 1024 * 1024, timeout: 5 * 60_000 },
          (error, stdout, stderr) => {
            if (error === null) {
              resolve(stdout);
              return;
            }
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "ENOENT") {
              reject(
                new GcloudError(
                  args,
                  "could not start: gcloud is not on PATH. Install the Google Cloud CLI, or run " +
                    "setup:iam without --apply and run the printed commands where gcloud is.",
                  "",
                ),
              );
              return;
            }
            reject(new GcloudError(args, `exited with code ${String(code ?? "?")}`, stderr));
          },
        ).stdin?.end();
      }),
  };
}
