// @ts-check
import {
  ensureDevKey as ensureKeyFile,
  writeDevKey as writeKeyFile,
} from "../../tools/src/dev-key/key-file.mjs";
import { PROJECT_ID } from "./paths.mjs";

/*
 * The local stack's dev key (npm start, the test run), for the demo project. The file format is
 * the package's `dev-key` command's (tools/src/dev-key/key-file.mjs).
 */

/** @param {string} file */
export function ensureDevKey(file) {
  return ensureKeyFile(file, PROJECT_ID);
}

/** @param {string} file */
export function writeDevKey(file) {
  writeKeyFile(file, PROJECT_ID);
}
