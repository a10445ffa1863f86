/**
 * The doctor's output: one line per check with a clear status, grouped under headings, with the
 * advice that goes with a failure. Only `fail` makes the run fail.
 */

export type Status = "pass" | "fail" | "warn" | "skip";

export interface CheckResult {
  readonly status: Status;
  readonly title: string;
  readonly detail?: string;
  /** What to do about it: commands or explanations, one per line. */
  readonly advice?: readonly string[];
}

export type ChecklistEntry = { readonly heading: string } | CheckResult;

const LABEL: Readonly<Record<Status, string>> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  skip: "SKIP",
};

export class Checklist {
  readonly entries: ChecklistEntry[] = [];

  heading(heading: string): void {
    this.entries.push({ heading });
  }

  add(result: CheckResult): CheckResult {
    this.entries.push(result);
    return result;
  }

  get results(): CheckResult[] {
    return this.entries.filter((entry): entry is CheckResult => "status" in entry);
  }

  get failed(): boolean {
    return this.results.some((result) => result.status === "fail");
  }
}

export function renderChecklist(checklist: Checklist): string {
  const out: string[] = [];
  for (const entry of checklist.entries) {
    if ("heading" in entry) {
      out.push("", entry.heading);
      continue;
    }
    out.push(
      `  ${LABEL[entry.status]}  ${entry.title}${entry.detail === undefined ? "" : `: ${entry.detail}`}`,
    );
    for (const line of entry.advice ?? []) out.push(`        -> ${line}`);
  }
  const count = (status: Status): number =>
    checklist.results.filter((result) => result.status === status).length;
  out.push(
    "",
    `Result: ${count("pass")} passed, ${count("fail")} failed, ${count("warn")} warnings, ` +
      `${count("skip")} skipped.`,
  );
  return `${out.join("\n")}\n`;
}
