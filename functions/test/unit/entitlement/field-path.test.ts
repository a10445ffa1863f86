import { describe, expect, it } from "vitest";
import {
  fieldPathProblem,
  formatFieldPath,
  parseFieldPath,
  readField,
} from "../../../src/entitlement/field-path.js";

describe("parseFieldPath", () => {
  it("splits dot paths into segments", () => {
    expect(parseFieldPath("vehicleId")).toEqual(["vehicleId"]);
    expect(parseFieldPath("fleet.assignment.vehicleId")).toEqual([
      "fleet",
      "assignment",
      "vehicleId",
    ]);
    expect(formatFieldPath(parseFieldPath("fleet.vehicleId"))).toBe("fleet.vehicleId");
    expect(fieldPathProblem("rider_uid-2")).toBeUndefined();
  });

  it("throws on a path fieldPathProblem refuses", () => {
    expect(() => parseFieldPath("a..b")).toThrow(/double dot/);
  });
});

describe("readField", () => {
  const doc = {
    vehicleId: "v-1",
    fleet: { vehicleId: "v-2", deep: { uid: "u" } },
    list: ["a"],
    nothing: null,
  };

  it("reads top-level and nested values", () => {
    expect(readField(doc, ["vehicleId"])).toBe("v-1");
    expect(readField(doc, ["fleet", "vehicleId"])).toBe("v-2");
    expect(readField(doc, ["fleet", "deep", "uid"])).toBe("u");
    expect(readField(doc, ["list"])).toEqual(["a"]);
    expect(readField(doc, ["nothing"])).toBeNull();
  });

  it("is undefined for missing steps and for steps through non-maps", () => {
    expect(readField(doc, ["absent"])).toBeUndefined();
    expect(readField(doc, ["fleet", "absent", "x"])).toBeUndefined();
    expect(readField(doc, ["vehicleId", "length"])).toBeUndefined();
    expect(readField(doc, ["list", "0"])).toBeUndefined();
    expect(readField(doc, ["nothing", "x"])).toBeUndefined();
  });

  it("never reaches the prototype chain", () => {
    expect(readField(doc, ["constructor"])).toBeUndefined();
    expect(readField(doc, ["fleet", "toString"])).toBeUndefined();
    expect(readField({ d: new Date(0) }, ["d", "getTime"])).toBeUndefined();
  });
});
