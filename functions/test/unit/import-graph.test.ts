import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../src");

/** Every module of src and the relative modules it imports, types included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(SRC, file));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"/gs),
      ...text.matchAll(/import\("(\.[^"]+)"\)/g),
    ].map((match) => match[1] ?? "");
    graph.set(
      path.relative(SRC, file),
      specifiers.map((specifier) =>
        path.relative(SRC, path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts"))),
      ),
    );
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (module: string, stack: string[]): void => {
    state.set(module, "open");
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next, stack);
    }
    stack.pop();
    state.set(module, "done");
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module, []);
  return found;
}

describe("functions/src's import graph", () => {
  it("is read whole: the graph has the modules and their imports", () => {
    const graph = importGraph();
    expect(graph.get("handler.ts")).toContain("entitlement/entitle.ts");
    expect(graph.get("entitlement/assignments.ts")).toContain("entitlement/stored-document.ts");
  });

  it("has no cycle, type-only imports included: each module can be read on its own", () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it("would see a cycle", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["a.ts"]],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts", "a.ts"]]);
  });
});
