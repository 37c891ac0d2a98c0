// Where the local engine once differed from the Pulumi engine (issue 16), through the real path: the engine CLI, a
// real program run by @pulumi/pulumi/cmd/run and the SDK's dynamic provider host. Each test names the Pulumi
// source it reproduces (github.com/pulumi/pulumi at 1b5949891b).
import * as fs from "fs";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

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
});
