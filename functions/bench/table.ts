export interface Row {
  what: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  /** Whether the target is met; absent when the row has no target. */
  met?: boolean;
}

/** Prints the rows as one Markdown table, so that docs/performance.md can quote it as is. */
export function printTable(rows: readonly Row[]): void {
  const header = ["measurement", "result", "baseline (same run)", "ratio", "target", "met"];
  const cells = rows.map((row) => [
    row.what,
    row.result,
    row.baseline,
    row.ratio,
    row.target,
    row.met === undefined ? "" : row.met ? "yes" : "NO",
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => cell[i]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const cell of cells) console.log(line(cell));
}
