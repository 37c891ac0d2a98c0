// Failures through the real engine path: check failures, a provider error in the middle of an update and the run
// that converges after it, an interrupted run, the stack lock, unsupported resources, a failing program.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertBuilt, collect, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

describe("engine failures", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("prints check failures as Pulumi does, fails, and creates nothing", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = {
            resources: [
                { name: "fine", props: {} },
                { name: "bad", props: { size: 20, spec: { replicas: 5 } }, refs: { upstream: "fine.name" } },
            ],
        };
        const r = await stack.up(spec);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(
            `  ${T} (bad):\n` +
                `    error: ${T} resource 'bad': property size value 20 has a problem: must be at most 10\n` +
                `    error: ${T} resource 'bad': property spec.replicas value 5 has a problem: at most 3 replicas are allowed\n`,
        );
        // The preview failed, so the update never ran.
        expect(pass(r.stdout, "Updating")).toBe("");
        expect(stack.mutations()).toEqual([]);
        expect(fs.existsSync(stack.stateFile)).toBe(false);
    });

    it("prints [secret] for a secret value in a check failure, whether the value, its parent or a part of it is secret", async () => {
        stack = new TestStack();
        // The value itself secret, and a value whose parent object is secret.
        const whole = await stack.preview({ resources: [{ name: "bad", props: { size: 31337, spec: { replicas: 777 } }, secrets: ["size", "spec"] }] });
        expect(whole.code).not.toBe(0);
        expect(whole.stderr).toContain(
            `  ${T} (bad):\n` +
                `    error: ${T} resource 'bad': property size value [secret] has a problem: must be at most 10\n` +
                `    error: ${T} resource 'bad': property spec.replicas value [secret] has a problem: at most 3 replicas are allowed\n`,
        );
        // Only the nested value secret: the plain one is shown.
        const nested = await stack.preview({ resources: [{ name: "bad", props: { size: 12, spec: { replicas: 778 } }, secrets: ["spec.replicas"] }] });
        expect(nested.code).not.toBe(0);
        expect(nested.stderr).toContain(
            `    error: ${T} resource 'bad': property size value 12 has a problem: must be at most 10\n` +
                `    error: ${T} resource 'bad': property spec.replicas value [secret] has a problem: at most 3 replicas are allowed\n`,
        );
        for (const plaintext of ["31337", "777", "778"]) {
            expect(whole.stdout + whole.stderr + nested.stdout + nested.stderr).not.toContain(plaintext);
        }
    });

    it("reports a thrown check error with its message, not a stack trace", async () => {
        stack = new TestStack();
        const r = await stack.preview({ resources: [{ name: "boom", props: { explode: true } }] });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(`  ${T} (boom):\n    error: check exploded for boom\n`);
        expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });

    it("keeps what was created before a provider error, and the next up converges", async () => {
        stack = new TestStack();
        const spec = (failCreate: boolean): ProgramSpec => ({
            resources: [
                { name: "a", props: {} },
                { name: "b", props: {}, refs: { upstream: "a.id" } },
                { name: "c", props: { failCreate }, refs: { upstream: "b.id" } },
            ],
        });
        const failed = await stack.up(spec(true));
        expect(failed.code).not.toBe(0);
        const update = pass(failed.stdout, "Updating");
        expect(planLines(update)).toEqual([
            `+ pulumi:pulumi:Stack  files-${stack.name}  created`,
            `+ ${T}  a  created`,
            `+ ${T}  b  created`,
            `+ ${T}  c  **creating failed**`,
        ]);
        expect(failed.stderr).toContain(`  ${T} (c):\n    error: quota exceeded while creating c\n`);
        expect(failed.stderr).not.toMatch(/\bat .*\.js:\d+/);
        const a = stack.resource("a")!.id;
        const b = stack.resource("b")!.id;
        expect(a).toBeTruthy();
        expect(b).toBeTruthy();
        expect(stack.resource("c")).toBeUndefined();
        expect(stack.state().pendingOperations).toBeUndefined();
        stack.clearCalls();

        const retry = await stack.up(spec(false));
        expect(retry.code, retry.stderr).toBe(0);
        expect(planLines(pass(retry.stdout, "Updating"))).toEqual([`+ ${T}  c  created`]);
        expect(summary(pass(retry.stdout, "Updating"))).toEqual(["+ 1 created", "3 unchanged"]);
        expect(stack.mutations()).toEqual([`create ${stack.resource("c")!.id}`]);
        expect(stack.resource("a")!.id).toBe(a);
    });

    it("on an interrupt stops its children, keeps finished steps and records the interrupted one", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = {
            resources: [
                { name: "a", props: {} },
                { name: "slow", props: { slowCreateMs: 60_000 }, refs: { upstream: "a.id" } },
            ],
        };
        const child = stack.spawn("up", spec, ["--skip-preview"]);
        const done = collect(child);
        const started = Date.now();
        while (!stack.calls().includes("begin-create slow")) {
            if (Date.now() - started > 30_000) {
                throw new Error("the slow create never started");
            }
            await new Promise((r) => setTimeout(r, 100));
        }
        child.kill("SIGINT");
        const r = await done;
        expect(r.code).toBe(130);
        expect(Date.now() - started).toBeLessThan(40_000);
        // Neither the program nor the provider host outlives the engine.
        await new Promise((res) => setTimeout(res, 300));
        expect(processesMentioning(stack.objects)).toEqual([]);
        // The finished step and the interrupted one are in the journal; the file still holds the state the run
        // started from.
        expect(fs.existsSync(stack.journalFile)).toBe(true);
        const state = stack.replayedState();
        expect(state.resources.find((r) => r.urn.endsWith("::a"))!.id).toBeTruthy();
        expect(state.pendingOperations).toEqual([expect.objectContaining({ urn: expect.stringMatching(/::slow$/), operation: "creating" })]);
        expect(fs.existsSync(stack.lockFile)).toBe(false);

        // The next up warns about the interrupted operation (a preview does not: deployment_executor.go Execute) and
        // goes on; the interrupted create stays in the state until a refresh settles it (parity.test.ts).
        const next = await stack.up({ resources: [{ name: "a", props: {} }] });
        expect(next.code, next.stderr).toBe(0);
        expect(pass(next.stdout, "Previewing update")).not.toContain("pending operations");
        expect(next.stderr).toMatch(/warning: Attempting to deploy or update resources with 1 pending operations from previous deployment.\n\s+\* urn:pulumi:.*::slow, interrupted while creating/);
        expect(stack.state().pendingOperations).toEqual([expect.objectContaining({ urn: expect.stringMatching(/::slow$/), operation: "creating" })]);
    });

    it("refuses to run while the stack is locked, naming the lock and how to remove it", async () => {
        stack = new TestStack();
        fs.mkdirSync(path.dirname(stack.stateFile), { recursive: true });
        fs.writeFileSync(stack.lockFile, JSON.stringify({ pid: 999999, host: os.hostname(), command: "up", startedAt: "2026-01-01T00:00:00Z" }));
        const r = await stack.up({ resources: [{ name: "a", props: {} }] });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(`error: the stack '${stack.name}' is locked by 'up' (process 999999`);
        expect(r.stderr).toContain("Process 999999 is no longer running, so the lock is stale.");
        expect(r.stderr).toContain(`rm "${stack.lockFile}"`);
        expect(stack.mutations()).toEqual([]);
        expect(fs.existsSync(stack.lockFile)).toBe(true);
    });

    it("explains a provider host that dies in the middle of a call, as an interrupted operation", async () => {
        stack = new TestStack();
        const r = await stack.upFast({ resources: [{ name: "a", props: {} }, { name: "b", props: { crashHost: true }, refs: { upstream: "a.id" } }] });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(
            `  ${T} (b):\n    error: interrupted: the dynamic provider host exited (code 7) during create of urn:pulumi:${stack.name}::files::${T}::b; ` +
                "the operation may or may not have taken effect.",
        );
        expect(stack.resource("a")!.id).toBeTruthy();
    });

    it("takes a host killed under a create for an interrupted operation: kept pending, and the next run warns", async () => {
        stack = new TestStack();
        const urn = `urn:pulumi:${stack.name}::files::${T}::b`;
        const r = await stack.up({ resources: [{ name: "a", props: {} }, { name: "b", props: { killHostAfterWrite: true }, refs: { upstream: "a.id" } }] });
        expect(r.code).not.toBe(0);
        expect(planLines(pass(r.stdout, "Updating"))).toContain(`+ ${T}  b  **creating failed**`);
        expect(r.stderr).toContain(
            `  ${T} (b):\n    error: interrupted: the dynamic provider host exited (code 137) during create of ${urn}; ` +
                "the operation may or may not have taken effect. Run `up` again if the provider's create is idempotent",
        );
        // The create did happen before the host died: only the pending operation in the state tells of it.
        expect(fs.existsSync(path.join(stack.objects, "b.marker"))).toBe(true);
        expect(stack.resource("b")).toBeUndefined();
        expect(stack.resource("a")!.id).toBeTruthy();
        // The run ended normally, so its last save has it in the state file itself (no journal left).
        expect(fs.existsSync(stack.journalFile)).toBe(false);
        expect(stack.state().pendingOperations).toEqual([expect.objectContaining({ urn, type: T, operation: "creating" })]);

        const next = await stack.up({ resources: [{ name: "a", props: {} }] });
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).toContain(`warning: Attempting to deploy or update resources with 1 pending operations from previous deployment.\n      * ${urn}, interrupted while creating`);
    });

    it("refuses to delete a protected resource", async () => {
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "keep", props: {}, opts: { protect: true } }] })).code).toBe(0);
        const id = stack.resource("keep")!.id;
        stack.clearCalls();
        const r = await stack.up({});
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(`error: unable to delete resource "urn:pulumi:${stack.name}::files::${T}::keep"\n    as it is currently marked for protection`);
        expect(stack.mutations()).toEqual([]);
        expect(stack.resource("keep")!.id).toBe(id);
    });

    it("names the provider plugin a non-dynamic resource would need", async () => {
        stack = new TestStack();
        const r = await stack.preview({ foreign: [{ type: "random:index/randomPet:RandomPet", name: "pet" }] });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(
            "error: resource type random:index/randomPet:RandomPet needs provider plugin random (pulumi-resource-random), " +
                "which this local engine cannot run",
        );
    });

    it("fails when the program throws, and deletes nothing", async () => {
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "a", props: {} }, { name: "b", props: {} }] })).code).toBe(0);
        stack.clearCalls();
        const started = Date.now();
        const r = await stack.up({ resources: [{ name: "a", props: {} }], throw: "the program broke" });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain("the program broke");
        // Without the inspect guard, Node 20.20 spends 20-50s formatting this error (engine/inspect-guard.ts).
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(stack.mutations()).toEqual([]);
        expect(stack.resource("b")).toBeDefined();
    });
});

/** Processes whose environment mentions `text` (the program and the host inherit the object folder: harness.ts spawn). */
function processesMentioning(text: string): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
            continue;
        }
        try {
            if (fs.readFileSync(`/proc/${entry}/environ`, "utf8").includes(text)) {
                pids.push(Number(entry));
            }
        } catch {
            // Gone, or not ours to read.
        }
    }
    return pids;
}
