import { displayPath } from "../shared/paths.js";
import { formatCommand } from "../shared/shell.js";
import { gcloudArgs, type Plan } from "./plan.js";

/** The plan as a shell script: comments say why, every other line is one gcloud command. */
export function renderPlan(plan: Plan, envFile: string): string {
  const out = [
    `# setup:iam plan for project ${plan.project} (printed only: nothing was changed).`,
    "# Run it with --apply: that reads the project first and runs only the commands still missing.",
  ];
  for (const section of plan.sections) {
    out.push("", `# ${section.title}`);
    for (const step of section.steps)
      out.push(formatCommand("gcloud", gcloudArgs(step, plan.project)));
  }
  out.push(
    "",
    `# Params: --apply writes these to ${displayPath(envFile)} (its other lines are kept):`,
    ...plan.params.map(([key, value]) => `#   ${key}=${value}`),
  );
  return `${out.join("\n")}\n`;
}
