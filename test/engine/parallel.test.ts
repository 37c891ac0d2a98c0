// Steps in parallel, as the Pulumi engine runs them (issue 13): the SDK registers a resource once what it depends on
// is registered, the engine runs up to `--parallel` steps at once (step_executor.go workers), deletes in waves
// (ScheduleDeletes), and refreshes every object at once. No timing is asserted: the toy provider logs when a slow
// call begins and when it ends, and the order of those lines says what overlapped.
import * as fs from "fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../../engine/cli";
import { defaultParallel } from "../../engine/limiter";
import { assertBuilt, collect, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";
const SLOW = 1500;

/** a, b and c stand alone; d takes a's id, so it waits for a. Every create and delete takes SLOW ms. */
const spec: ProgramSpec = {
    resources: [
        ...["a", "b", "c"].map((name) => ({ name, props: { slowCreateMs: SLOW, slowDeleteMs: SLOW } })),
        { name: "d", props: { slowCreateMs: SLOW, slowDeleteMs: SLOW }, refs: { upstream: "a.id" } },
    ],
};

/** The provider's log reduced to what began and what ended: "begin-create a", "create a", ... */
function timeline(stack: TestStack): string[] {
    return stack
        .calls()
        .filter((c) => /^(begin-create|create|begin-delete|delete) /.test(c))
        .map((c) => c.replace(/^(create|delete) ([a-z]+)-[0-9a-f]+$/, "$1 $2"));
}

describe("parallel steps", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("runs independent steps at once and a dependent one after what it depends on; deletes in waves", { timeout: 180_000 }, async () => {
        stack = new TestStack();
        const up = await stack.run("up", spec, ["--skip-preview", "--parallel", "4"]);
        expect(up.code, up.stderr).toBe(0);
        const created = timeline(stack);
        // a, b and c all began before any of them ended; d began only once a had ended.
        expect(created.slice(0, 3).sort()).toEqual(["begin-create a", "begin-create b", "begin-create c"]);
        expect(created.indexOf("begin-create d")).toBeGreaterThan(created.indexOf("create a"));
        // One line per step, each naming its resource, whatever order they ended in.
        const lines = planLines(pass(up.stdout, "Updating"));
        expect([...lines].sort()).toEqual([`+ pulumi:pulumi:Stack  files-${stack.name}  created`, ...["a", "b", "c", "d"].map((n) => `+ ${T}  ${n}  created`)].sort());
        expect(lines.indexOf(`+ ${T}  d  created`)).toBeGreaterThan(lines.indexOf(`+ ${T}  a  created`));
        expect(summary(pass(up.stdout, "Updating"))).toEqual(["+ 5 created"]);
        expect(stack.state().resources.map((r) => r.urn.split("::").pop()).sort()).toEqual(["a", "b", "c", "d", `files-${stack.name}`]);

        stack.clearCalls();
        const destroy = await stack.run("destroy", spec, ["--skip-preview", "--parallel", "4"]);
        expect(destroy.code, destroy.stderr).toBe(0);
        const deleted = timeline(stack);
        // Waves peeled off from the top (ScheduleDeletes): d alone (it depends on a, the others on the stack), then
        // a, b and c at once, once the whole first wave is done; the stack last. (Not "true" delete parallelism:
        // b and c could have gone with d. The Pulumi engine waits the same way, to be safe.)
        expect(deleted.slice(0, 2)).toEqual(["begin-delete d", "delete d"]);
        expect(deleted.slice(2, 5).sort()).toEqual(["begin-delete a", "begin-delete b", "begin-delete c"]);
        expect(stack.objectIds()).toEqual([]);
    });

    it("runs one step at a time with --parallel 1", { timeout: 180_000 }, async () => {
        stack = new TestStack();
        const up = await stack.run("up", spec, ["--skip-preview", "--parallel", "1"]);
        expect(up.code, up.stderr).toBe(0);
        // Every create ends before the next begins.
        const created = timeline(stack);
        expect(created).toHaveLength(8);
        for (let i = 0; i < created.length; i += 2) {
            expect(created[i + 1]).toBe(created[i].replace("begin-", ""));
        }
    });

    it("refreshes every object at once", { timeout: 180_000 }, async () => {
        stack = new TestStack();
        const independent: ProgramSpec = { resources: ["a", "b", "c"].map((name) => ({ name, props: {} })) };
        expect((await stack.upFast(independent)).code).toBe(0);
        stack.clearCalls();
        const refresh = await stack.run("refresh", independent, ["--skip-preview", "--parallel", "3"]);
        expect(refresh.code, refresh.stderr).toBe(0);
        expect(summary(pass(refresh.stdout, "Refreshing"))).toEqual(["4 unchanged"]);
        // The reads were all sent before the first diff: none waited for another object's refresh.
        const calls = stack.calls().filter((c) => /^(read|diff) /.test(c));
        expect(calls.slice(0, 3).every((c) => c.startsWith("read "))).toBe(true);
    });

    it("takes --parallel as the CLI does, and defaults to PULUMI_PARALLEL, else 4 per CPU", () => {
        expect(parseArgs(["up", "dir", "--parallel", "3"]).parallel).toBe(3);
        expect(parseArgs(["up", "dir", "-p", "0"]).parallel).toBe(1);
        expect(() => parseArgs(["up", "dir", "--parallel", "many"])).toThrow(new Error("--parallel takes a whole number of steps to run at once, got 'many'"));
        expect(defaultParallel({ PULUMI_PARALLEL: "7" })).toBe(7);
        expect(defaultParallel({ PULUMI_PARALLEL: "0" })).toBe(defaultParallel({}));
        expect(defaultParallel({})).toBe(4 * require("os").availableParallelism());
        expect(() => defaultParallel({ PULUMI_PARALLEL: "lots" })).toThrow(/PULUMI_PARALLEL must be a whole number of steps to run at once, got "lots"/);
    });

    it("killed with several steps under way, leaves one pending operation for each, and the rerun converges", { timeout: 180_000 }, async () => {
        stack = new TestStack();
        const trio = (ms: number): ProgramSpec => ({ resources: ["a", "b", "c"].map((name) => ({ name, props: { slowCreateMs: ms } })) });
        const child = stack.spawn("up", trio(60_000), ["--skip-preview", "--parallel", "3"]);
        const done = collect(child);
        const started = Date.now();
        while (stack.calls().filter((c) => c.startsWith("begin-create ")).length < 3) {
            if (Date.now() - started > 60_000) throw new Error(`the three creates never were under way together: ${stack.calls().join(", ")}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        child.kill("SIGKILL");
        await done;
        // Each create under way was recorded before the provider was called; the stack's own create had ended.
        const replayed = stack.replayedState();
        expect(replayed.pendingOperations.map((p) => `${p.operation} ${p.urn.split("::").pop()}`).sort()).toEqual(["creating a", "creating b", "creating c"]);
        expect(replayed.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);

        // No run holds the stack any more (the killed engine's children exit by themselves): its lock goes by hand.
        await new Promise((r) => setTimeout(r, 1000));
        fs.rmSync(stack.lockFile, { force: true });
        const rerun = await stack.up(trio(1));
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(rerun.stderr).toContain("Attempting to deploy or update resources with 3 pending operations from previous deployment.");
        expect(summary(pass(rerun.stdout, "Updating"))).toEqual(["+ 3 created", "1 unchanged"]);
        const cleared = await stack.run("refresh", trio(1), ["--yes", "--clear-pending-creates"]);
        expect(cleared.code, cleared.stderr).toBe(0);
        const preview = await stack.preview(trio(1));
        expect(summary(preview.stdout)).toEqual(["4 unchanged"]);
        expect(stack.objectIds()).toHaveLength(3);
    });
});
