import type { ParamsFile } from "../shared/env-file.js";
import {
  COLLECTION_NAMES,
  COLLECTION_PARAMS,
  FIELD_NAMES,
  FIELD_PARAMS,
  TOKEN_TYPES,
  TOKEN_TYPE_SPECS,
  collectionIdProblem,
  enabledTokenTypes,
  fieldPathProblem,
  parseEnabledTokenTypes,
  regionProblem,
} from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import type { CheckResult } from "./checklist.js";

/**
 * The params that describe the app's data model (collections and field paths), the region and
 * the types served, each checked with the function's own validator. loadConfig stops at the
 * first bad param; this reports every one, with its value and the file that sets it, so that one
 * doctor run shows all there is to fix.
 */

interface ParamRule {
  readonly name: string;
  readonly problem: (value: string) => string | undefined;
  readonly advice: readonly string[];
}

const FAILS_EVERY_CALL = "every call of the deployed function would fail with failed-precondition";

function rules(regionParam: string): readonly ParamRule[] {
  return [
    ...COLLECTION_NAMES.map((collection): ParamRule => {
      const { name, default: fallback, holds } = COLLECTION_PARAMS[collection];
      return {
        name,
        problem: collectionIdProblem,
        advice: [
          `the Firestore collection of ${holds}: one collection ID, e.g. ${fallback} (the default)`,
          FAILS_EVERY_CALL,
        ],
      };
    }),
    ...FIELD_NAMES.map((field): ParamRule => {
      const { name, default: fallback, holds } = FIELD_PARAMS[field];
      return {
        name,
        problem: fieldPathProblem,
        advice: [
          `the Firestore field path of ${holds}: field names joined by dots for nested fields, ` +
            `e.g. ${fallback} (the default) or profile.${fallback}`,
          FAILS_EVERY_CALL,
        ],
      };
    }),
    {
      name: regionParam,
      problem: regionProblem,
      advice: [
        "one Cloud Functions region, e.g. us-central1 (the default) or europe-west1; clients then " +
          `call getFunctions(app, "<${regionParam}>")`,
        FAILS_EVERY_CALL,
      ],
    },
    {
      name: enabledTokenTypes.name,
      problem: (value) => {
        const parsed = parseEnabledTokenTypes(value);
        return typeof parsed === "string" ? parsed : undefined;
      },
      advice: [
        `comma-separated token types, from: ${TOKEN_TYPES.join(", ")} (e.g. driver,consumer); ` +
          `${TOKEN_TYPES.filter((type) => TOKEN_TYPE_SPECS[type].optIn).join(", ")} only where ` +
          "you list it, and only for devices you own and manage",
        FAILS_EVERY_CALL,
      ],
    },
  ];
}

/** The file a deploy takes `name` from: the last deployed file that sets it. */
function sourceOf(name: string, files: readonly ParamsFile[]): string {
  const file = files.filter((f) => f.role === "deploy" && Object.hasOwn(f.values, name)).at(-1);
  return file === undefined ? "the params" : displayPath(file.path);
}

/** One FAIL per bad param among `values` (the deploy's), naming the param, its value and file. */
export function modelParamProblems(
  values: Readonly<Record<string, string>>,
  files: readonly ParamsFile[],
  regionParam: string,
): CheckResult[] {
  const problems: CheckResult[] = [];
  for (const rule of rules(regionParam)) {
    const raw = values[rule.name];
    // Absent: the function uses the param's default, which is valid.
    if (raw === undefined) continue;
    // The function reads string params trimmed (config/load.ts readString).
    const problem = rule.problem(raw.trim());
    if (problem === undefined) continue;
    problems.push({
      status: "fail",
      title: `param ${rule.name}`,
      detail: `${rule.name}=${JSON.stringify(raw)} in ${sourceOf(rule.name, files)} ${problem}`,
      advice: rule.advice,
    });
  }
  return problems;
}
