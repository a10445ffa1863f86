import * as params from "firebase-functions/params";
import { describe, expect, it } from "vitest";
import {
  ALL_PARAMS,
  DEFAULT_REGION,
  FIELD_NAMES,
  FIELD_PARAMS,
  OFFERED_REGIONS,
  REGION_PARAM_NAMES,
} from "../../../src/config/index.js";
import { fieldPathProblem } from "../../../src/entitlement/field-path.js";
import "../../../src/index.js";
import "../../../src/kit.js";
import { DEFAULT_ENABLED_TOKEN_TYPES, TOKEN_TYPES } from "../../../src/token-types.js";

/**
 * What the Firebase CLI shows when it prompts for a param (at `functions:kits:install`, or at a
 * deploy that lacks a value): the wire spec that firebase-functions hands the CLI.
 */
interface WireSpec {
  name: string;
  type: string;
  description?: string;
  default?: unknown;
  input?: {
    text?: { validationRegex?: string; example?: string };
    select?: { options: { label?: string; value: unknown }[] };
    multiSelect?: { options: { label?: string; value: string }[] };
  };
}

const declared = (): WireSpec[] =>
  (params.declaredParams as unknown as { toSpec(): WireSpec }[]).map((param) => param.toSpec());

function spec(name: string): WireSpec {
  const found = declared().find((param) => param.name === name);
  if (found === undefined) throw new Error(`param ${name} is not declared`);
  return found;
}

describe("the params as the installer prompts for them", () => {
  const names = [...ALL_PARAMS.map((param) => param.name), ...Object.values(REGION_PARAM_NAMES)];

  it.each(names)("%s explains itself and has an input type", (name) => {
    const wire = spec(name);
    expect(wire.description?.length ?? 0).toBeGreaterThan(30);
    expect(wire.input).toBeDefined();
  });

  it.each(Object.values(REGION_PARAM_NAMES))(
    "%s is a select of regions, us-central1 first",
    (name) => {
      const wire = spec(name);
      expect(wire.default).toBe(DEFAULT_REGION);
      const values = wire.input?.select?.options.map((option) => option.value);
      expect(values).toEqual([...OFFERED_REGIONS]);
      expect(values?.[0]).toBe("us-central1");
      expect(values).toContain("europe-west1");
    },
  );

  it("offers every token type as a multi-select, all but trustedDeliveryDriver preselected", () => {
    const wire = spec("ENABLED_TOKEN_TYPES");
    expect(wire.type).toBe("list");
    expect(wire.input?.multiSelect?.options.map((option) => option.value)).toEqual([
      ...TOKEN_TYPES,
    ]);
    for (const option of wire.input?.multiSelect?.options ?? []) {
      expect(option.label).toMatch(new RegExp(`^${option.value}: `));
    }
    expect(wire.default).toEqual([...DEFAULT_ENABLED_TOKEN_TYPES]);
    expect(wire.default).not.toContain("trustedDeliveryDriver");
    expect(wire.input?.multiSelect?.options.map((option) => option.value)).toContain(
      "trustedDeliveryDriver",
    );
  });

  it("asks for the tasks collection, its field paths and the trusted driver's signer", () => {
    const names = declared().map((param) => param.name);
    for (const name of [
      "TASKS_COLLECTION",
      "TASK_VEHICLE_FIELD",
      "TASK_CONSUMERS_FIELD",
      "TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT",
    ]) {
      expect(names).toContain(name);
    }
    expect(spec("TASKS_COLLECTION").default).toBe("tasks");
    expect(spec("TASK_VEHICLE_FIELD").default).toBe("deliveryVehicleId");
    expect(spec("TASK_CONSUMERS_FIELD").default).toBe("consumerUids");
    expect(spec("TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT").description).toContain(
      "roles/fleetengine.deliveryTrustedDriver",
    );
  });

  it("accepts the defaults and refuses what loadConfig would refuse, for the field paths", () => {
    for (const field of FIELD_NAMES) {
      const regex = new RegExp(spec(FIELD_PARAMS[field].name).input?.text?.validationRegex ?? "");
      expect(regex.test(FIELD_PARAMS[field].default)).toBe(true);
      expect(regex.test("fleet.vehicleId")).toBe(true);
      for (const bad of ["", "a..b", ".a", "a.", "a b", "a/b", "a[0]", "`x`", "a\\b"]) {
        expect(fieldPathProblem(bad)).toBeDefined();
        expect(regex.test(bad)).toBe(false);
      }
    }
  });

  it("accepts an empty signer account (the default) or a service account email", () => {
    const regex = new RegExp(spec("DRIVER_SIGNER_ACCOUNT").input?.text?.validationRegex ?? "");
    expect(regex.test("")).toBe(true);
    expect(regex.test("fe-driver@my-project.iam.gserviceaccount.com")).toBe(true);
    expect(regex.test("someone@example.com")).toBe(false);
  });
});
