import type { ParamsFile } from "../shared/env-file.js";
import { DEV_KEY_FILE_ENV } from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import type { Checklist } from "./checklist.js";

/**
 * Variables that only the local stack may set. The Functions emulator sets FUNCTIONS_EMULATOR
 * itself, and the function signs with the key file FLEET_ENGINE_DEV_KEY_FILE names only there.
 * firebase deploy hands every line of functions/.env and .env.<project> to the deployed function
 * as its environment, so either line in those files tells a production function that it may sign
 * with a key file. The function refuses (it also needs the emulator's FIREBASE_DEBUG_MODE, which
 * no env file can set); doctor refuses the line itself, before a deploy ships it.
 */
export const FUNCTIONS_EMULATOR_ENV = "FUNCTIONS_EMULATOR";
export const DEV_ONLY_VARIABLES: readonly string[] = [FUNCTIONS_EMULATOR_ENV, DEV_KEY_FILE_ENV];

const TITLE = `no emulator-only variables (${DEV_ONLY_VARIABLES.join(", ")})`;

export function checkDevOnlyVariables(checklist: Checklist, files: readonly ParamsFile[]): void {
  let clean = true;
  for (const file of files) {
    const found = DEV_ONLY_VARIABLES.filter((key) => Object.hasOwn(file.values, key));
    if (found.length === 0) continue;
    clean = false;
    const where = displayPath(file.path);
    const remove = `remove ${found.join(" and ")} from ${where}: the emulator sets ${FUNCTIONS_EMULATOR_ENV} itself, and npm start and the tests pass ${DEV_KEY_FILE_ENV} in their own environment`;
    if (file.deployed) {
      checklist.add({
        status: "fail",
        title: `${TITLE} in ${where}`,
        detail:
          `it sets ${found.join(", ")}, and firebase deploy passes this file to the deployed ` +
          "function as its environment: a deployed function must never sign with a key file " +
          "(the function refuses to, and this line must not ask it to)",
        advice: [remove],
      });
    } else {
      // WARN, not FAIL: the deploy never reads .env.local and firebase.json keeps *.local out of
      // the upload, so this cannot reach production; but it is a line nothing needs, one copy
      // away from .env.<project>.
      checklist.add({
        status: "warn",
        title: `${TITLE} in ${where}`,
        detail:
          `it sets ${found.join(", ")}; only the emulator reads this file (firebase deploy ignores ` +
          "it and does not upload it), so the deployed function is not affected",
        advice: [remove, "never copy these lines into functions/.env or .env.<project>"],
      });
    }
  }
  if (clean) {
    checklist.add({
      status: "pass",
      title: TITLE,
      detail: `none in ${files.map((file) => file.name).join(", ") || "the params files"}`,
    });
  }
}
