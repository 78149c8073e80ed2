// The module graph of server/src and shared/src, read from the source: no import cycle (a cycle
// makes load order matter and hides which module is the lower layer), and the layers keep to
// their direction. Every relative import counts, `import type` included: a type cycle is still a
// design cycle, and is one refactor away from a runtime one.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCES = ["server/src", "shared/src"];

type Graph = Map<string, string[]>;

/** Relative specifiers of static imports and re-exports, side-effect imports and import(). */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  const staticImport = /(?:^|[;}\n])\s*(?:import|export)\s+(?:[^;'"`]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']/g;
  const dynamicImport = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
  for (const match of code.matchAll(staticImport)) found.push(match[1]!);
  for (const match of code.matchAll(dynamicImport)) found.push(match[1]!);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Each file of `dirs` → the files it imports (paths from the repository's root). */
function moduleGraph(dirs: string[]): Graph {
  const graph: Graph = new Map();
  for (const file of dirs.flatMap(tsFiles)) {
    const imports = relativeImports(readFileSync(path.join(ROOT, file), "utf8"));
    graph.set(file, imports.map((spec) => path.normalize(path.join(path.dirname(file), spec))));
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it (first = last). */
function findCycles(graph: Graph): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue; // outside the scanned folders
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** Imports from files under `from` into files under `into`, as "a -> b" lines. */
function crossings(graph: Graph, from: string, into: string): string[] {
  const lines: string[] = [];
  for (const [file, imports] of graph) {
    if (!file.startsWith(from + path.sep)) continue;
    for (const target of imports) if (target.startsWith(into + path.sep)) lines.push(`${file} -> ${target}`);
  }
  return lines;
}

describe("the import checker itself", () => {
  it("reads every form of relative import, over several lines, and nothing in comments", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      "import {",
      "  c,",
      "  type C,",
      '} from "./c.ts";',
      'export { d } from "./d.ts";',
      'export type { E } from "./e.ts";',
      'export * from "./f.ts";',
      'import "./g.ts";',
      'const h = await import("./h.ts");',
      'import express from "express";',
      '// import { no } from "./commented.ts";',
      '/* import { no } from "./blocked.ts"; */',
      'export const text = "from \\"./string.ts\\"";',
    ].join("\n");
    expect(relativeImports(source)).toEqual(["./a.ts", "../b.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts", "./g.ts", "./h.ts"]);
  });

  it("finds a cycle, a self-import, and nothing in a tree", () => {
    const graph: Graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "outside"]],
      ["d", ["d"]],
      ["e", ["a"]],
    ]);
    expect(findCycles(graph)).toEqual([
      ["a", "b", "c", "a"],
      ["d", "d"],
    ]);
    expect(findCycles(new Map([["x", ["y", "z"]], ["y", ["z"]], ["z", []]]))).toEqual([]);
  });

  it("sees the real graph (so an empty answer below means something)", () => {
    const graph = moduleGraph(SOURCES);
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get(path.normalize("server/src/app.ts"))).toContain(path.normalize("server/src/rooms/cafe-room.ts"));
    expect(graph.get(path.normalize("server/src/rooms/cafe-room.ts"))).toContain(path.normalize("shared/src/projection.ts"));
  });
});

describe("server/src and shared/src", () => {
  const graph = moduleGraph(SOURCES);

  it("have no import cycle", () => {
    expect(findCycles(graph).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("keep the rooms, the configuration and the services below the HTTP layer", () => {
    for (const lower of ["rooms", "config", "services"]) {
      expect(crossings(graph, path.normalize(`server/src/${lower}`), path.normalize("server/src/http"))).toEqual([]);
    }
  });

  it("hand the JSON gateway what it needs instead of it reaching into the services", () => {
    expect(crossings(graph, path.normalize("server/src/gateway"), path.normalize("server/src/services"))).toEqual([]);
  });

  it("keep shared/ free of server and client code", () => {
    const outside = [...graph].flatMap(([file, imports]) =>
      file.startsWith("shared" + path.sep) ? imports.filter((t) => !t.startsWith(path.normalize("shared/src") + path.sep)).map((t) => `${file} -> ${t}`) : [],
    );
    expect(outside).toEqual([]);
  });
});
