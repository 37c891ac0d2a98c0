// Where the local engine once differed from the Pulumi engine (issue 16), through the real path: the engine CLI, a
// real program run by @pulumi/pulumi/cmd/run and the SDK's dynamic provider host. Each test names the Pulumi
// source it reproduces (github.com/pulumi/pulumi at 1b5949891b).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../engine/project";
import { StateStore } from "../../engine/state";
import { assertBuilt, CLI, collect, FIXTURE, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

/** `a`, and `slow`, whose create waits `ms` before making its object. */
const slowPair = (ms: number): ProgramSpec => ({ resources: [{ name: "a", props: {} }, { name: "slow", props: { slowCreateMs: ms }, refs: { upstream: "a.id" } }] });

/** An up interrupted (SIGINT, as Ctrl-C) while the provider is inside slow's create: a pending create in the state. */
async function interruptedCreate(stack: TestStack): Promise<void> {
    const child = stack.spawn("up", slowPair(60_000), ["--skip-preview"]);
    const done = collect(child);
    const started = Date.now();
    while (!stack.calls().includes("begin-create slow")) {
        if (Date.now() - started > 30_000) throw new Error("the slow create never started");
        await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    expect((await done).code).toBe(130);
}

describe("the local engine as the Pulumi engine", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("ignoreChanges: `*` resets every key, an array is never spliced (an info message instead), secrets stay secret", async () => {
        // step_generator.go processIgnoreChanges → properties_path.go PropertyPath.Reset.
        stack = new TestStack();
        const spec = (tags: Record<string, string>, list: string[], token: string): ProgramSpec => ({
            resources: [{ name: "a", props: { tags, list, token }, secrets: ["token"], opts: { ignoreChanges: ["tags.*", "list[1]", "token"] } }],
        });
        expect((await stack.upFast(spec({ a: "1" }, ["x"], "first"))).code).toBe(0);
        const id = stack.resource("a")!.id!;

        const r = await stack.up(spec({ a: "2", b: "3" }, ["x", "y"], "second"));
        expect(r.code, r.stderr).toBe(0);
        // The tags are the old ones again; the second element cannot be ignored (it would splice the list), so the
        // list is the one change.
        expect(planLines(pass(r.stdout, "Updating"))).toEqual([`~ ${T}  a  updated [diff: ~list]`]);
        expect(r.stderr).toContain('cannot ignore changes in added or removed elements of the path: "list[1]"');
        expect(stack.readObject(id)).toMatchObject({ tags: { a: "1" }, list: ["x", "y"], token: "first" });
        // The ignored secret keeps its old value, and stays secret in the state.
        expect(stack.stateText()).not.toContain("first");
        expect(stack.resource("a")!.inputs.token).toMatchObject({ ciphertext: expect.any(String) });
    });

    it("refresh classifies drift by the provider's diff of what it read against the program's last inputs", async () => {
        // step.go RefreshStep.Apply (Diff with the refreshed outputs as olds and the old inputs as news) and
        // RefreshStep.ResultOp; step_generator.go diffResource for a provider whose diff cannot say.
        stack = new TestStack();
        const spec: ProgramSpec = {
            resources: [
                // Drift in an output the provider's diff ignores (`generation`): not a change.
                { name: "outputOnly", props: { label: "a" } },
                // Drift in an input: a change.
                { name: "input", props: { label: "a" } },
                { name: "gone", props: {} },
                // A diff that cannot say, and a read that returns no inputs: the engine compares the inputs, which
                // did not move, so even drift in a field the program sets is not a change.
                { name: "unknownDiff", props: { label: "a", unknownDiff: true } },
                // The same, with a read that returns the object's fields as inputs: a change.
                { name: "unknownDiffInputs", props: { label: "a", unknownDiff: true, readInputs: true } },
                { name: "untouched", props: { label: "a" } },
            ],
        };
        expect((await stack.upFast(spec)).code).toBe(0);
        const id = (name: string) => stack.resource(name)!.id!;
        const drift = (name: string, change: Record<string, unknown>) =>
            fs.writeFileSync(path.join(stack.objects, `${id(name)}.json`), JSON.stringify({ ...stack.readObject(id(name)), ...change }));
        drift("outputOnly", { generation: 7 });
        drift("input", { label: "b" });
        drift("unknownDiff", { label: "b" });
        drift("unknownDiffInputs", { label: "b" });
        fs.rmSync(path.join(stack.objects, `${id("gone")}.json`));
        stack.clearCalls();

        const r = await stack.run("refresh", spec, ["--yes"]);
        expect(r.code, r.stderr).toBe(0);
        const refreshing = pass(r.stdout, "Refreshing");
        expect(summary(refreshing)).toEqual(["~ 2 updated", "- 1 deleted", "3 changes. 4 unchanged"]);
        expect(planLines(refreshing).filter((l) => l.includes("refreshed")).sort()).toEqual([
            `~ ${T}  input  refreshed [diff: ~label]`,
            `~ ${T}  unknownDiffInputs  refreshed [diff: ~label]`,
        ]);
        expect(summary(pass(r.stdout, "Previewing refresh"))).toEqual(["~ 2 to update", "- 1 to delete", "3 changes. 4 unchanged"]);
        // The provider's diff was asked for each object that is still there, in the preview and in the refresh.
        expect(stack.calls().filter((c) => c.startsWith("diff ")).sort()).toEqual(
            ["outputOnly", "input", "unknownDiff", "unknownDiffInputs", "untouched"].flatMap((n) => [`diff ${id(n)}`, `diff ${id(n)}`]).sort(),
        );
        // Whatever the verdict, the state holds what was read (step.go RefreshStep.Apply).
        expect(stack.resource("outputOnly")!.outputs.generation).toBe(7);
        expect(stack.resource("unknownDiff")!.outputs.label).toBe("b");
        expect(stack.resource("gone")).toBeUndefined();
    });

    it("a delete-before-replace through a protected dependent is refused before any dependent is deleted", async () => {
        // step_generator.go continueStepsFromDiff: the chain's protect check bails out of step generation, in a
        // preview and in an update, so none of its deletes runs.
        stack = new TestStack();
        // b and c take a's zone, so replacing a (delete first: dbr) forces both out; c is deleted first, b is protected.
        const spec = (zone: string): ProgramSpec => ({
            resources: [
                { name: "a", props: { zone, dbr: true } },
                { name: "b", props: {}, refs: { zone: "a.zone" }, opts: { protect: true } },
                { name: "c", props: {}, refs: { zone: "b.zone" } },
            ],
        });
        expect((await stack.upFast(spec("z1"))).code).toBe(0);
        const ids = stack.objectIds();
        const [a, b] = ["a", "b"].map((n) => stack.resource(n)!.urn);
        const refusal = `unable to replace resource "${b}" as part of replacing "${a}" as it is currently marked for protection.`;
        stack.clearCalls();

        const preview = await stack.preview(spec("z2"));
        expect(preview.code).toBe(1);
        expect(preview.stderr).toContain(refusal);
        expect(preview.stderr).toContain(`\`pulumi state unprotect '${b}'\``);

        const up = await stack.run("up", spec("z2"), ["--skip-preview"]);
        expect(up.code).toBe(1);
        expect(up.stderr).toContain(refusal);
        expect(stack.mutations()).toEqual([]);
        expect(stack.objectIds()).toEqual(ids);
        expect(stack.state().resources.filter((r) => r.delete)).toEqual([]);
    });

    it("a managed object the program now reads with another id is replaced by the read and deleted at the end, even when protected", async () => {
        // step_generator.go GenerateReadSteps: a read-replacement and a replace step; the old object, pending
        // deletion, is deleted with the other deletions, without a protect check (step.go DeleteStep.Apply skips it
        // for a replacement). The same id only lets the object go (state-and-reads.test.ts).
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "x", props: {}, opts: { protect: true } }, { name: "y", props: {} }] })).code).toBe(0);
        const [x, y] = ["x", "y"].map((n) => stack.resource(n)!.id!);
        stack.clearCalls();

        const spec: ProgramSpec = { resources: [{ name: "y", props: {} }], gets: [{ name: "x", id: y }] };
        const r = await stack.up(spec);
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Previewing update"))).toEqual([`>> ${T}  x  read for replacement`]);
        expect(summary(pass(r.stdout, "Previewing update"))).toEqual(["+-1 to replace", "2 unchanged"]);
        expect(planLines(pass(r.stdout, "Updating"))).toEqual([`>> ${T}  x  read for replacement`, `-- ${T}  x  deleted original`]);
        expect(summary(pass(r.stdout, "Updating"))).toEqual(["+-1 replaced", "2 unchanged"]);
        expect(stack.mutations()).toEqual([`delete ${x}`]);
        expect(stack.objectIds()).toEqual([y]);
        expect(stack.resource("x")).toMatchObject({ id: y, external: true });
    });

    it("refresh and destroy configure the provider as the last up left it in the state, not from the stack config", async () => {
        // Without --run-program the Pulumi engine configures the default provider from its inputs in the state
        // (deployment.go EnsureProvider → providers/registry.go Same → Configure(res.Inputs)); for a dynamic provider
        // they are the whole stack configuration of the last up (default_providers.go, target.go GetPackageConfig).
        stack = new TestStack();
        const spec: ProgramSpec = { resources: [{ name: "a", props: { label: "x" } }] };
        expect((await stack.upFast(spec)).code).toBe(0);
        const id = stack.resource("a")!.id!;
        // The stack config now names another folder (a moved endpoint, a rotated credential).
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "engine-elsewhere-"));
        try {
            const refresh = await stack.run("refresh", spec, ["--yes", "--config", `dir=${elsewhere}`]);
            expect(refresh.code, refresh.stderr).toBe(0);
            // The provider still looked in the folder of the last up: the object is there, unchanged.
            expect(summary(pass(refresh.stdout, "Refreshing"))).toEqual(["2 unchanged"]);
            expect(stack.resource("a")!.id).toBe(id);
            // The kept configuration is encrypted with the state's secrets (the engine cannot tell which values are
            // credentials): the file holds ciphertext, the engine reads it back.
            expect(JSON.parse(stack.stateText()).providerConfig).toMatch(/^v1:/);
            expect(stack.stateText()).not.toContain('"files:dir"');
            expect(stack.replayedState().providerConfig).toMatchObject({ "files:dir": stack.objects });

            const destroy = await stack.run("destroy", spec, ["--yes", "--config", `dir=${elsewhere}`]);
            expect(destroy.code, destroy.stderr).toBe(0);
            expect(stack.objectIds()).toEqual([]);
            expect(fs.readdirSync(elsewhere)).toEqual([]);
            // Nothing uses the provider any more: its configuration goes with the last resource.
            expect(stack.replayedState().providerConfig).toBeUndefined();
        } finally {
            fs.rmSync(elsewhere, { recursive: true, force: true });
        }
    });

    it("an up configures the provider from the stack config, and that is what the next destroy uses", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = { resources: [{ name: "a", props: {} }] };
        expect((await stack.upFast(spec)).code).toBe(0);
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "engine-elsewhere-"));
        try {
            // An up with the new configuration: nothing to change, but the provider is configured anew and the state
            // keeps that configuration (registry.go Diff/Update of the default provider).
            const up = await stack.run("up", spec, ["--yes", "--config", `dir=${elsewhere}`]);
            expect(up.code, up.stderr).toBe(0);
            expect(stack.replayedState().providerConfig).toMatchObject({ "files:dir": elsewhere });
            // So destroy deletes in the new folder (where there is nothing; the provider's delete of a missing object
            // succeeds) and leaves the old one alone.
            const destroy = await stack.run("destroy", spec, ["--yes"]);
            expect(destroy.code, destroy.stderr).toBe(0);
            expect(stack.objectIds()).toHaveLength(1);
        } finally {
            fs.rmSync(elsewhere, { recursive: true, force: true });
        }
    });

    it("an up whose program no longer uses the provider deletes with the configuration the state keeps", async () => {
        // No resource registers the default provider, so the deletions go through the provider in the state
        // (step_generator.go GenerateDeletes → deployment.go EnsureProvider), configured as the last up left it.
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "a", props: {} }] })).code).toBe(0);
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "engine-elsewhere-"));
        try {
            const up = await stack.run("up", {}, ["--yes", "--config", `dir=${elsewhere}`]);
            expect(up.code, up.stderr).toBe(0);
            expect(planLines(pass(up.stdout, "Updating"))).toEqual([`- ${T}  a  deleted`]);
            expect(stack.objectIds()).toEqual([]);
            expect(stack.replayedState().providerConfig).toBeUndefined();
        } finally {
            fs.rmSync(elsewhere, { recursive: true, force: true });
        }
    });

    it("a pending create stays until refresh clears it, other pending operations go with the next write, and only up and destroy warn", { timeout: 240_000 }, async () => {
        // backend/snapshot.go Snap keeps the base's `creating` operations only; deployment_executor.go Execute warns
        // on a real up or destroy (not a preview, not a refresh); refresh.go --clear-pending-creates.
        stack = new TestStack();
        await interruptedCreate(stack);
        // A second operation the kill could have left: an update of a.
        const project = loadProject(FIXTURE);
        const saved = StateStore.open(FIXTURE, project.name, stack.name).snapshot;
        const a = saved.resources.find((r) => r.urn.endsWith("::a"))!;
        StateStore.open(FIXTURE, project.name, stack.name).save({
            ...saved,
            pendingOperations: [...saved.pendingOperations, { urn: a.urn, type: a.type, id: a.id, operation: "updating", startedAt: new Date().toISOString() }],
        });
        const warning = "Attempting to deploy or update resources with 2 pending operations from previous deployment.";

        const preview = await stack.preview(slowPair(1));
        expect(preview.code, preview.stderr).toBe(0);
        expect(preview.stderr).not.toContain("pending operations");

        // The rerun warns, goes on and converges; the interrupted create is still in the state afterwards.
        const up = await stack.up(slowPair(1));
        expect(up.code, up.stderr).toBe(0);
        expect(up.stderr).toContain(warning);
        expect(up.stderr).toMatch(/\* urn:\S+::slow, interrupted while creating\n\s+\* urn:\S+::a, interrupted while updating/);
        expect(planLines(pass(up.stdout, "Updating"))).toEqual([`+ ${T}  slow  created`]);
        expect(stack.state().pendingOperations).toEqual([expect.objectContaining({ urn: expect.stringMatching(/::slow$/), operation: "creating" })]);

        // A refresh neither warns nor, off a terminal and without a flag, settles it.
        const refresh = await stack.run("refresh", slowPair(1), ["--yes"]);
        expect(refresh.code, refresh.stderr).toBe(0);
        expect(refresh.stderr).not.toContain("pending operations");
        expect(stack.state().pendingOperations).toHaveLength(1);
        const again = await stack.up(slowPair(1));
        expect(again.stderr).toContain("Attempting to deploy or update resources with 1 pending operations from previous deployment.");

        const cleared = await stack.run("refresh", slowPair(1), ["--yes", "--clear-pending-creates"]);
        expect(cleared.code, cleared.stderr).toBe(0);
        expect(summary(pass(cleared.stdout, "Refreshing"))).toEqual(["3 unchanged"]);
        expect(stack.state().pendingOperations).toBeUndefined();
        const quiet = await stack.up(slowPair(1));
        expect(quiet.stderr).not.toContain("pending operations");
    });

    it("refresh --import-pending-creates completes an interrupted create with the id of the object it made", async () => {
        stack = new TestStack();
        await interruptedCreate(stack);
        // The interrupted run's steps are in its journal: the state as the engine reads it.
        const a = stack.replayedState().resources.find((r) => r.urn.endsWith("::a"))!.id!;
        const urn = `urn:pulumi:${stack.name}::files::${T}::slow`;
        // The create did make its object before the engine heard back: it is there, under an id the state never saw.
        fs.writeFileSync(path.join(stack.objects, "slow-made.json"), JSON.stringify({ name: "slow", slowCreateMs: 60_000, upstream: a, path: "p", generation: 1 }));

        const unknown = `urn:pulumi:${stack.name}::files::${T}::other`;
        const r = await stack.run("refresh", slowPair(60_000), ["--yes", "--import-pending-creates", `${urn},slow-made`, "--import-pending-creates", unknown, "--import-pending-creates", "x"]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`warning: "${unknown}" did not correspond to a pending create`);
        expect(planLines(pass(r.stdout, "Refreshing"))).toEqual([`~ ${T}  slow  refreshed`]);
        expect(stack.state().pendingOperations).toBeUndefined();
        expect(stack.resource("slow")).toMatchObject({ id: "slow-made", outputs: { generation: 1, upstream: a } });
        // The program's resource is that object now: nothing to create.
        const preview = await stack.preview(slowPair(60_000));
        expect(preview.code, preview.stderr).toBe(0);
        expect(summary(preview.stdout)).toEqual(["3 unchanged"]);
    });

    it("on a terminal, refresh asks what to do with each pending create (clear, skip or import)", async () => {
        // refresh.go interactiveFixPendingCreate. util-linux `script` gives the engine a terminal; the answers come
        // through it: first one it does not know (asked again), then "clear".
        stack = new TestStack();
        await interruptedCreate(stack);
        const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
        const args = [process.execPath, CLI, "refresh", FIXTURE, "--stack", stack.name, "--config", `dir=${stack.objects}`, "--config", `spec=${JSON.stringify(slowPair(60_000))}`, "--yes"];
        const child = spawn("script", ["-qec", args.map(quote).join(" "), "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
        const done = collect(child);
        child.stdin!.write("maybe\nclear\n");
        const r = await done;
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.stdout.match(/Options for pending CREATE of urn:\S+::slow:/g)).toHaveLength(2);
        expect(r.stdout).toContain("Refreshing (");
        expect(stack.state().pendingOperations).toBeUndefined();
    });
});
