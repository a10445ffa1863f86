/**
 * Where the function lives once deployed: its codebase (firebase.json), its name (the export of
 * functions/src/index.ts) and, from REGION, its region. Deploy commands always name the codebase,
 * so that a deploy of this package never touches (or plans the deletion of) an app's own functions.
 */
export const CODEBASE = "fleet-engine-tokens";
export const CALLABLE_NAME = "getFleetEngineToken";

export function deployCommand(project: string): string {
  return `npx firebase deploy --only functions:${CODEBASE} --project ${project}`;
}

/** The callable's HTTPS endpoint, which the Firebase client SDKs call for getFunctions(app, region). */
export function callableUrl(region: string, project: string): string {
  return `https://${region}-${project}.cloudfunctions.net/${CALLABLE_NAME}`;
}
