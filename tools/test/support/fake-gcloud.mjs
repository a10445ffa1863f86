#!/usr/bin/env node
// @ts-check
/**
 * A fake `gcloud` for the setup:iam tests, put first on PATH. It understands exactly the commands
 * setup:iam uses (anything else is an error, so a wrong flag fails the test), keeps the project in
 * the JSON file FAKE_GCLOUD_STATE, appends every call to FAKE_GCLOUD_LOG (JSON lines), and fails
 * the calls matching FAKE_GCLOUD_FAIL = {"match": "<substring of the command>", "times"?: N,
 * "stderr"?: "..."} (every match, or the first N).
 */
import { existsSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { accountPolicy, addBinding, findAccount } from "./fake-project.mjs";

const statePath = required("FAKE_GCLOUD_STATE");
const logPath = required("FAKE_GCLOUD_LOG");
const args = process.argv.slice(2);

/** @param {string} name */
function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`fake gcloud: ${name} is not set\n`);
    process.exit(70);
  }
  return value;
}

/** @param {number} code @param {string} [stderr] @param {string} [stdout] */
function finish(code, stderr = "", stdout = "") {
  appendFileSync(logPath, `${JSON.stringify({ args, exit: code })}\n`);
  if (stdout) process.stdout.write(stdout);
  if (stderr) process.stderr.write(stderr);
  process.exit(code);
}

/** @param {string} command @param {string} message */
const error = (command, message) => finish(1, `ERROR: (gcloud.${command}) ${message}\n`);
/** @param {string} message */
const usage = (message) => finish(2, `ERROR: (gcloud) ${message}\n`);

// Scripted failures.
const failSpec = process.env.FAKE_GCLOUD_FAIL
  ? JSON.parse(process.env.FAKE_GCLOUD_FAIL)
  : undefined;
if (failSpec && args.join(" ").includes(failSpec.match)) {
  const counter = `${statePath}.failures`;
  const failed = existsSync(counter) ? Number(readFileSync(counter, "utf8")) : 0;
  if (failSpec.times === undefined || failed < failSpec.times) {
    writeFileSync(counter, String(failed + 1));
    finish(1, `${failSpec.stderr ?? "ERROR: (gcloud) PERMISSION_DENIED: scripted failure"}\n`);
  }
}

/** @type {import("./fake-project.mjs").FakeProject} */
const project = JSON.parse(readFileSync(statePath, "utf8"));
const save = () => writeFileSync(statePath, `${JSON.stringify(project, null, 2)}\n`);

// Split positionals and --flag=value flags; every flag must be one the command allows.
const positionals = args.filter((arg) => !arg.startsWith("--"));
/** @type {Record<string, string | true>} */
const flags = {};
for (const arg of args.filter((a) => a.startsWith("--"))) {
  const eq = arg.indexOf("=");
  if (eq === -1) flags[arg.slice(2)] = true;
  else flags[arg.slice(2, eq)] = arg.slice(eq + 1);
}
/** @param {string[]} allowed */
function allowFlags(allowed) {
  for (const flag of Object.keys(flags)) {
    if (!allowed.includes(flag)) usage(`unrecognized arguments: --${flag}`);
  }
}
/** @param {string | undefined} value */
function requireProject(value) {
  if (value !== project.projectId) {
    error("projects", `[${value}] not found or permission denied`);
  }
}
/** @param {string} command @param {string | true | undefined} member */
function checkMember(command, member) {
  if (typeof member !== "string" || !/^(user|group|serviceAccount|domain):\S+$/.test(member)) {
    usage(`argument --member: bad member ${String(member)}`);
    return;
  }
  const email = member.replace(/^serviceAccount:/, "");
  if (
    member.startsWith("serviceAccount:") &&
    email.endsWith(".gserviceaccount.com") &&
    !findAccount(project, email)
  ) {
    error(command, `INVALID_ARGUMENT: Service account ${email} does not exist.`);
  }
}
/** @param {string | true | undefined} role */
function checkRole(role) {
  if (typeof role !== "string" || !/^roles\/[A-Za-z0-9_.]+$/.test(role))
    usage(`argument --role: bad role ${String(role)}`);
}
/** @param {import("./fake-project.mjs").Policy} policy */
const policyJson = (policy) =>
  `${JSON.stringify({ bindings: policy.bindings, etag: "BwXfake=", version: 1 }, null, 2)}\n`;

const command = positionals.slice(0, 3).join(" ");
if (positionals[0] === "projects" && positionals[1] === "describe") {
  allowFlags(["format"]);
  requireProject(positionals[2]);
  const field = {
    "value(projectId)": project.projectId,
    "value(projectNumber)": project.projectNumber,
  }[String(flags.format)];
  if (field === undefined) usage(`unsupported --format ${String(flags.format)}`);
  finish(0, "", `${field}\n`);
} else if (
  command === "services list" ||
  (positionals[0] === "services" && positionals[1] === "list")
) {
  allowFlags(["enabled", "project", "format"]);
  if (flags.enabled !== true || flags.format !== "value(config.name)")
    usage("services list needs --enabled --format=value(config.name)");
  requireProject(String(flags.project));
  finish(0, "", project.enabledServices.map((s) => `${s}\n`).join(""));
} else if (positionals[0] === "services" && positionals[1] === "enable") {
  allowFlags(["project"]);
  requireProject(String(flags.project));
  const services = positionals.slice(2);
  if (services.length === 0 || services.some((s) => !/^[a-z0-9-]+\.googleapis\.com$/.test(s)))
    usage("services enable needs service names");
  for (const service of services)
    if (!project.enabledServices.includes(service)) project.enabledServices.push(service);
  save();
  finish(0, `Operation "operations/fake" finished successfully.\n`);
} else if (command === "iam service-accounts list") {
  allowFlags(["project", "format"]);
  requireProject(String(flags.project));
  if (flags.format !== "value(email)") usage("service-accounts list needs --format=value(email)");
  finish(0, "", project.serviceAccounts.map((a) => `${a.email}\n`).join(""));
} else if (command === "iam service-accounts create") {
  allowFlags(["project", "display-name"]);
  requireProject(String(flags.project));
  const id = positionals[3] ?? "";
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(id)) usage(`bad account name ${id}`);
  if (typeof flags["display-name"] !== "string") usage("--display-name is expected");
  const email = `${id}@${project.projectId}.iam.gserviceaccount.com`;
  if (findAccount(project, email))
    error(
      "iam.service-accounts.create",
      `ALREADY_EXISTS: Service account ${id} already exists within project projects/${project.projectId}.`,
    );
  project.serviceAccounts.push({ email, displayName: String(flags["display-name"]) });
  save();
  finish(0, `Created service account [${id}].\n`);
} else if (positionals[0] === "projects" && positionals[1] === "get-iam-policy") {
  allowFlags(["format"]);
  requireProject(positionals[2]);
  if (flags.format !== "json") usage("get-iam-policy needs --format=json");
  finish(0, "", policyJson(project.projectPolicy));
} else if (positionals[0] === "projects" && positionals[1] === "add-iam-policy-binding") {
  allowFlags(["member", "role", "condition"]);
  requireProject(positionals[2]);
  checkMember("projects.add-iam-policy-binding", flags.member);
  checkRole(flags.role);
  if (flags.condition !== undefined && flags.condition !== "None")
    usage("only --condition=None is modelled");
  addBinding(project.projectPolicy, String(flags.role), String(flags.member));
  save();
  finish(
    0,
    `Updated IAM policy for project [${project.projectId}].\n`,
    policyJson(project.projectPolicy),
  );
} else if (
  command === "iam service-accounts get-iam-policy" ||
  command === "iam service-accounts add-iam-policy-binding"
) {
  const adding = command.endsWith("add-iam-policy-binding");
  allowFlags(adding ? ["project", "member", "role", "condition"] : ["project", "format"]);
  requireProject(String(flags.project));
  const email = positionals[3] ?? "";
  if (!findAccount(project, email)) {
    error(
      `iam.service-accounts.${positionals[2]}`,
      `PERMISSION_DENIED: Permission 'iam.serviceAccounts.${adding ? "setIamPolicy" : "getIamPolicy"}' denied on resource (or it may not exist).`,
    );
  }
  if (!adding) {
    if (flags.format !== "json") usage("get-iam-policy needs --format=json");
    finish(0, "", policyJson(accountPolicy(project, email)));
  }
  checkMember("iam.service-accounts.add-iam-policy-binding", flags.member);
  checkRole(flags.role);
  if (flags.condition !== undefined && flags.condition !== "None")
    usage("only --condition=None is modelled");
  addBinding(accountPolicy(project, email), String(flags.role), String(flags.member));
  save();
  finish(
    0,
    `Updated IAM policy for serviceAccount [${email}].\n`,
    policyJson(accountPolicy(project, email)),
  );
} else {
  usage(`fake gcloud does not model: ${args.join(" ")}`);
}
