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
    off: false,
  };
  const present = (value: unknown) => ({ kind: "present", value });
  const absent = { kind: "absent" };
  const unreadable = (parent: string, holds: string) => ({ kind: "unreadable", parent, holds });

  it("reads top-level and nested values", () => {
    expect(readField(doc, ["vehicleId"])).toEqual(present("v-1"));
    expect(readField(doc, ["fleet", "vehicleId"])).toEqual(present("v-2"));
    expect(readField(doc, ["fleet", "deep", "uid"])).toEqual(present("u"));
    expect(readField(doc, ["list"])).toEqual(present(["a"]));
    expect(readField(doc, ["nothing"])).toEqual(present(null));
  });

  it("is absent when the field or a map on the way to it does not exist", () => {
    expect(readField(doc, ["absent"])).toEqual(absent);
    expect(readField(doc, ["absent", "x"])).toEqual(absent);
    expect(readField(doc, ["fleet", "absent", "x"])).toEqual(absent);
  });

  it("is unreadable, not absent, when a parent on the way exists but is not a map", () => {
    expect(readField(doc, ["vehicleId", "length"])).toEqual(unreadable("vehicleId", "string"));
    expect(readField(doc, ["list", "0"])).toEqual(unreadable("list", "array"));
    expect(readField(doc, ["nothing", "x"])).toEqual(unreadable("nothing", "null"));
    expect(readField(doc, ["off", "active"])).toEqual(unreadable("off", "boolean"));
    expect(readField(doc, ["fleet", "vehicleId", "x"])).toEqual(
      unreadable("fleet.vehicleId", "string"),
    );
    expect(readField({ d: new Date(0) }, ["d", "getTime"])).toEqual(
      unreadable("d", "non-map object"),
    );
  });

  it("never reaches the prototype chain", () => {
    expect(readField(doc, ["constructor"])).toEqual(absent);
    expect(readField(doc, ["fleet", "toString"])).toEqual(absent);
    expect(readField(doc, ["constructor", "prototype"])).toEqual(absent);
  });
});
