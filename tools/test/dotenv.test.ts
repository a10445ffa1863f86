import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  envFileNames,
  keyProblem,
  loadParams,
  parseDotenv,
  parseDotenvStrict,
} from "../src/shared/dotenv.js";

/**
 * The tools' reading of params files against firebase-tools' own, in both majors the project
 * meets: 14 (the repository's stack) and 15 (the CLI that installs kits).
 */

interface FirebaseToolsEnv {
  parse(data: string): { envs: Record<string, string>; errors: string[] };
  validateKey(key: string): void;
  loadUserEnvs(options: {
    functionsSource: string;
    configDir?: string;
    projectDir?: string;
    projectId: string;
    projectAlias?: string;
    isEmulator?: boolean;
  }): Record<string, string>;
}

const ROOT = path.resolve(__dirname, "..", "..");
const CLIS: readonly [string, FirebaseToolsEnv][] = [
  [
    "firebase-tools 14",
    createRequire(path.join(ROOT, "package.json"))(
      "firebase-tools/lib/functions/env",
    ) as FirebaseToolsEnv,
  ],
  [
    "firebase-tools 15",
    createRequire(path.join(ROOT, "kit", "package.json"))(
      "firebase-tools/lib/functions/env",
    ) as FirebaseToolsEnv,
  ],
];

const CORPUS: readonly string[] = [
  "REGION=europe-west1\n",
  "export REGION=europe-west1\nexport  TTL = 300 \n",
  "A=1\n# a comment\n\nB=2 # trailing comment\n",
  "A='single # not a comment'\nB=\"double # not a comment\"\n",
  'A="line\\nbreak \\t tab \\\\ backslash \\" quote"\nB=\'no \\n escapes\'\n',
  'MULTI="first\nsecond\nthird"\nAFTER=x\n',
  "A=\r\nB=2\r\nC=3\r\n",
  "EMPTY=\nSPACES=   \nEQ=a=b=c\n",
  "not an assignment\nA=1\n= no key\n",
  "lower.case/key=1\nFIREBASE_CONFIG=x\nKIT_THING=1\nFIREBASE_SECRET_REF_X=y\n",
  "URL=https://example.com/a?b=c#frag\n",
  "UNICODE=ünïcödé ✓\nDUP=1\nDUP=2\n",
  "A = 'unterminated\nB=2\n",
  'ENABLED_TOKEN_TYPES=driver,consumer,fleetReader\nLIST=["a","b"]\n',
];

describe("parseDotenv", () => {
  for (const [name, cli] of CLIS) {
    it.each(CORPUS)(`reads %j as ${name} does`, (text) => {
      expect(parseDotenv(text)).toEqual(cli.parse(text));
    });
  }

  it("gives values, comments and quotes the meaning they have for the CLI", () => {
    expect(parseDotenv('A=1 # c\nB="x # y"\nC="a\\nb"\n').envs).toEqual({
      A: "1",
      B: "x # y",
      C: "a\nb",
    });
  });
});

describe("keyProblem", () => {
  const keys = [
    "REGION",
    "_X",
    "lower",
    "1ABC",
    "PORT",
    "GCLOUD_PROJECT",
    "FIREBASE_DEBUG_MODE",
    "FIREBASE_SECRET_REF_",
    "FIREBASE_SECRET_REF_KEY",
    "EXT_SELECTED_EVENTS",
    "EXT_SELECTED_EVENTS_X",
    "X_GOOGLE_A",
    "KIT_INSTANCE",
    "FUNCTIONS_EMULATOR",
    "FIRESTORE_EMULATOR_HOST",
  ];
  // firebase-tools 15 reserves KIT_ (kits) and allows secret references and migrated extension
  // keys that 14 refused; the tools follow 15, the CLI that deploys kits, and 14 on the rest.
  const changedIn15 = ["KIT_INSTANCE", "FIREBASE_SECRET_REF_KEY", "EXT_SELECTED_EVENTS"];
  for (const [name, cli] of CLIS) {
    const compared = name.endsWith("14") ? keys.filter((k) => !changedIn15.includes(k)) : keys;
    it.each(compared)(`refuses %s exactly when ${name} does`, (key) => {
      let refused = false;
      try {
        cli.validateKey(key);
      } catch {
        refused = true;
      }
      expect(keyProblem(key) !== undefined).toBe(refused);
    });
  }
});

describe("loadParams", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function folder(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(tmpdir(), "params-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  const cases: readonly {
    what: string;
    files: Record<string, string>;
    projectAlias?: string;
    emulator?: boolean;
  }[] = [
    { what: ".env alone", files: { ".env": "A=1\nB=1\n" } },
    {
      what: ".env.<project> over .env",
      files: { ".env": "A=1\nB=1\n", ".env.my-project": "B=2\n", ".env.prod": "B=3\n" },
    },
    {
      what: ".env.<alias> when the command names the alias",
      files: { ".env": "A=1\nB=1\n", ".env.prod": "B=3\nC=3\n" },
      projectAlias: "prod",
    },
    {
      what: ".env.local for the emulator, last",
      files: { ".env": "A=1\n", ".env.my-project": "A=2\n", ".env.local": "A=4\n" },
      emulator: true,
    },
    {
      what: "no .env.local for a deploy",
      files: { ".env": "A=1\n", ".env.local": "A=4\n" },
    },
  ];

  for (const [name, cli] of CLIS) {
    it.each(cases)(`loads $what as ${name} does`, ({ files, projectAlias, emulator }) => {
      const configDir = folder(files);
      const options = {
        configDir,
        projectId: "my-project",
        ...(projectAlias === undefined ? {} : { projectAlias }),
      };
      expect(loadParams({ ...options, emulator: emulator === true })).toEqual(
        cli.loadUserEnvs({
          ...options,
          functionsSource: configDir,
          projectDir: configDir,
          ...(emulator === true ? { isEmulator: true } : {}),
        }),
      );
    });
  }

  it("refuses .env.<project> beside .env.<alias>, as the CLI does", () => {
    const configDir = folder({ ".env.my-project": "A=1\n", ".env.prod": "A=2\n" });
    expect(() => loadParams({ configDir, projectId: "my-project", projectAlias: "prod" })).toThrow(
      /Can't have both/,
    );
    for (const [, cli] of CLIS) {
      expect(() =>
        cli.loadUserEnvs({
          configDir,
          functionsSource: configDir,
          projectDir: configDir,
          projectId: "my-project",
          projectAlias: "prod",
        }),
      ).toThrow(/Can't have both/);
    }
  });

  it("refuses a file with a bad line or a reserved key, naming the file", () => {
    const configDir = folder({ ".env": "FIREBASE_DEBUG_MODE=true\n" });
    expect(() => loadParams({ configDir, projectId: "my-project" })).toThrow(/\.env: .*reserved/);
    expect(() => parseDotenvStrict("nonsense\n", ".env")).toThrow(/error on lines: nonsense/);
  });

  it("lists the files in the CLI's order, existing ones only", () => {
    const configDir = folder({ ".env.local": "", ".env": "", ".env.prod": "" });
    expect(
      envFileNames({ configDir, projectId: "my-project", projectAlias: "prod", emulator: true }),
    ).toEqual([".env", ".env.prod", ".env.local"]);
  });
});
