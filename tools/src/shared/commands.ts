import type { Installation } from "./firebase-project.js";

/**
 * The commands the tools print as advice, in the form the reader can paste: `npm run setup:iam
 * -- ...` in a clone of the repository, `npx fleet-engine-firebase-tokens setup-iam ...` where
 * the tools run from the kit's npm package, with the kit instance named. Set once per run by
 * the command's entry point (it knows how it was started and for which installation).
 */

export type ToolsInvocation = "repository" | "package";
type Tool = "setup-iam" | "doctor" | "dev-key";

let invocation: ToolsInvocation = "repository";
let instance: string | undefined;

/** Says how this run of the tools was started, and which kit instance it is about. */
export function useInvocation(how: ToolsInvocation, installation?: Installation): void {
  invocation = how;
  instance = installation?.instance;
}

/** `tool` with `args` (and the kit instance), as the reader would type it here. */
export function toolCommand(tool: Tool, args: string): string {
  const forInstance = instance === undefined ? "" : ` --instance ${instance}`;
  if (invocation === "package") {
    return `npx fleet-engine-firebase-tokens ${tool} ${args}${forInstance}`;
  }
  const script = tool === "setup-iam" ? "setup:iam" : tool;
  return `npm run ${script} -- ${args}${forInstance}`;
}

/** `setup-iam --project P --apply`, the advice most checks end with. */
export function setupIamCommand(project: string, extra = ""): string {
  return toolCommand("setup-iam", `--project ${project} --apply${extra}`);
}
