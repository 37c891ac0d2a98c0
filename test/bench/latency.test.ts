// The latency benchmark's yardstick: the critical path of a dependency graph, each step weighing its wait.
import { describe, expect, it } from "vitest";
import { criticalPath, GraphNode } from "../../bench/latency";

const node = (urn: string, cost: number, ...dependencies: string[]): GraphNode => ({ urn, cost, dependencies });

describe("critical path", () => {
    it.each<[string, GraphNode[], number]>([
        ["nothing to do", [], 0],
        ["independent steps: the longest one", [node("a", 1), node("b", 3), node("c", 2)], 3],
        ["a chain: its sum", [node("org", 1), node("com", 1, "org"), node("prj", 1, "com"), node("ds", 1, "prj")], 4],
        ["a diamond: its heavier side", [node("a", 1), node("b", 5, "a"), node("c", 1, "a"), node("d", 1, "b", "c")], 7],
        ["unchanged steps weigh nothing", [node("org", 0), node("com", 1, "org"), node("prj", 0, "com"), node("ds", 1, "prj")], 2],
        ["dependencies outside the graph (the stack, a provider) are ignored", [node("a", 2, "urn:stack"), node("b", 1, "a", "urn:provider")], 3],
        ["listed before what they depend on", [node("ds", 1, "prj"), node("prj", 1, "com"), node("com", 1)], 3],
    ])("%s", (_what, nodes, expected) => {
        expect(criticalPath(nodes)).toBe(expected);
    });

    it("refuses a loop, naming a resource on it", () => {
        expect(() => criticalPath([node("a", 1, "b"), node("b", 1, "a")])).toThrow(/the state's dependencies loop through (a|b)/);
    });
});
