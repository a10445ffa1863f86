#!/usr/bin/env node
// @ts-check
/**
 * Writes firestore.rules for the data model params of a project, so that the rules name the
 * collections and fields the function reads:
 *
 *   npm run rules                          # from functions/.env (the committed defaults)
 *   npm run rules -- --project my-project  # from functions/.env and functions/.env.my-project
 *   npm run rules -- --check               # fail when firestore.rules is not the defaults' output
 *
 * `--out FILE` writes elsewhere; `--params-dir DIR` reads the env files from DIR instead of
 * functions/ (the integration suite uses it for the mapping of its second codebase). `npm run lint` runs --check, so the committed file always
 * matches functions/.env; after deploying a project's rules, `npm run rules` restores it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FUNCTIONS_DIR, ParamError, dataModel, envFiles, readEnvFile } from "./lib/params.mjs";
import { ROOT } from "./lib/paths.mjs";
import { renderRules } from "./lib/rules.mjs";

const USAGE =
  "usage: npm run rules -- [--project PROJECT_ID] [--out FILE] [--check] [--params-dir DIR]";

/** @type {{ project?: string, out?: string, check?: boolean, help?: boolean, "params-dir"?: string }} */
let options;
try {
  options = parseArgs({
    options: {
      project: { type: "string" },
      out: { type: "string" },
      "params-dir": { type: "string" },
      check: { type: "boolean" },
      help: { type: "boolean" },
    },
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (options.check && options.project) {
  console.error("--check compares with the defaults (functions/.env); drop --project.");
  process.exit(2);
}

// Deploy semantics: .env, then .env.<project>; never .env.local (emulator only).
const dir = path.resolve(options["params-dir"] ?? FUNCTIONS_DIR);
const files = options.project
  ? envFiles({ dir, projectId: options.project, emulator: false })
  : [path.join(dir, ".env")].filter((file) => existsSync(file));
const source = files.map((file) => path.relative(ROOT, file).split(path.sep).join("/")).join(" + ");

let rules;
try {
  /** @type {Record<string, string>} */
  let values = {};
  for (const file of files) values = { ...values, ...readEnvFile(file) };
  rules = renderRules(dataModel(values), source || "the params' defaults");
} catch (error) {
  if (!(error instanceof ParamError)) throw error;
  console.error(`Cannot write the rules: ${error.message}`);
  process.exit(1);
}

const target = path.resolve(options.out ?? path.join(ROOT, "firestore.rules"));
const shown = path.relative(process.cwd(), target);
if (options.check) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing: reported below
  }
  if (current !== rules) {
    console.error(
      `${shown} is not the rules of functions/.env's data model. Run: npm run rules\n` +
        "(Rules for a project's own names are made with --project and deployed, not committed.)",
    );
    process.exit(1);
  }
  console.log(`${shown} matches the data model of functions/.env.`);
} else {
  writeFileSync(target, rules);
  console.log(`Wrote ${shown} from ${source || "the params' defaults"}.`);
  if (options.project && !options.out) {
    console.log(
      `Deploy it: npx firebase deploy --only firestore:rules --project ${options.project}\n` +
        "Then `npm run rules` restores the committed defaults (npm run lint checks them).",
    );
  }
}
