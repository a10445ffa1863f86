import type { Installation } from "./firebase-project.js";

/**
 * Where an installation of the function lives once deployed, and the Firebase CLI commands that
 * act on exactly it. A cloned codebase deploys as fleet-engine-tokens and serves
 * getFleetEngineToken; a kit instance is a codebase of its own, named by the instance, and
 * serves kit-<instance>-getFleetEngineToken. Deploy commands always name the codebase, so that a
 * deploy never touches (or plans the deletion of) an app's own functions.
 */

/** The Firebase CLI as the reader has it: the repository's own copy in a clone, theirs in an app. */
function firebaseCli(installation: Installation): string {
  return installation.kind === "codebase" ? "npx firebase" : "firebase";
}

export function deployCommand(installation: Installation, project: string): string {
  return `${firebaseCli(installation)} deploy --only functions:${installation.codebase} --project ${project}`;
}

/** `functions:delete` takes function names, not codebases: the name and one region. */
export function deleteCommand(installation: Installation, region: string, project: string): string {
  return (
    `${firebaseCli(installation)} functions:delete ${installation.functionId} ` +
    `--region ${region} --project ${project}`
  );
}

/** The callable's HTTPS endpoint, which the Firebase client SDKs call for getFunctions(app, region). */
export function callableUrl(installation: Installation, region: string, project: string): string {
  return `https://${region}-${project}.cloudfunctions.net/${installation.functionId}`;
}
