// The latency benchmark's plain floor: the provider's dependency graph rebuilt from plain dynamic resources that only
// wait. Run through the local engine on a small graph, it must repeat the graph it was given (the state's
// dependencies), update exactly the resources the revision reaches, wait only where the platform would, and carry
// its provider as a require() of an installed module, as this package's providers are carried.
import * as fs from "fs";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { runEngine } from "../../bench/e2e";
import { FloorNode, writeLatencyFloorProgram } from "../../bench/program";

const ROOT = path.resolve(__dirname, "../..");
// Inside the repository, so that the program finds @pulumi/pulumi in its node_modules, as the benchmark's do.
fs.mkdirSync(path.join(ROOT, "bench/.work"), { recursive: true });
const dir = fs.mkdtempSync(path.join(ROOT, "bench/.work", "latency-floor-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GRAPH: FloorNode[] = [
    { name: "org", dependsOn: [], changes: false, callsOnDelete: true },
    { name: "acc", dependsOn: ["org"], changes: true, callsOnDelete: true },
    { name: "com", dependsOn: ["org"], changes: false, callsOnDelete: true },
    { name: "link", dependsOn: ["com", "acc"], changes: false, callsOnDelete: false },
    { name: "prj", dependsOn: ["link", "com"], changes: true, callsOnDelete: true },
];
const WAIT_MS = 300;

interface State {
    providers: Record<string, string>;
    resources: { urn: string; type: string; custom?: boolean; dependencies?: string[]; outputs: { rev?: string } }[];
}
const readState = (): State => JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local/dev.json"), "utf8"));
const plainResources = (state: State) => state.resources.filter((r) => r.custom && r.type === "pulumi-nodejs:dynamic:Resource");
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

describe("the latency benchmark's plain floor", () => {
    it("repeats the graph, updates what the revision reaches and waits only where the platform would", async () => {
        writeLatencyFloorProgram(dir, GRAPH, WAIT_MS);

        const up = await runEngine(dir, ["up", dir, "--yes", "--skip-preview"]);
        expect(up.code, up.output).toBe(0);
        const state = readState();
        const made = plainResources(state);
        expect(made.map((r) => nameOf(r.urn))).toEqual(GRAPH.map((n) => n.name));
        const urnOf = new Map(made.map((r) => [nameOf(r.urn), r.urn]));
        for (const node of GRAPH) {
            const recorded = made.find((r) => nameOf(r.urn) === node.name)!.dependencies ?? [];
            expect([...recorded].sort(), node.name).toEqual(node.dependsOn.map((d) => urnOf.get(d)).sort());
        }
        // One provider text for every resource: a require() of the installed module, not its methods by value.
        const texts = Object.values(state.providers);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toContain('require("latency-floor-provider');
        // A lower bound, never flaky (a timer never fires early): org, then acc and com, then link, then prj each wait,
        // a chain of four waits. It shows the provider waits at all; nothing here measures speed.
        expect(up.seconds).toBeGreaterThanOrEqual((4 * WAIT_MS) / 1000);

        const change = await runEngine(dir, ["up", dir, "--yes", "--skip-preview", "--config", "rev=1"]);
        expect(change.code, change.output).toBe(0);
        const revised = plainResources(readState()).filter((r) => r.outputs.rev === "1").map((r) => nameOf(r.urn));
        expect(revised).toEqual(GRAPH.filter((n) => n.changes).map((n) => n.name));
        expect(change.output).toMatch(/2 updated/);

        const destroy = await runEngine(dir, ["destroy", dir, "--yes", "--skip-preview", "--config", "rev=1"]);
        expect(destroy.code, destroy.output).toBe(0);
        expect(destroy.output).toMatch(/6 deleted/); // and the stack
        expect(plainResources(readState())).toEqual([]);
    }, 120_000);
});
