// Replacements through the real engine path: create-before-delete (the default), delete-before-replace (asked by
// the provider or by the program), dependents replaced with a delete-before-replace, and the engine's own diff
// when the provider does not say whether something changed.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

/** `a` in a zone; `b` takes a's id (a change of it is an update for b). */
function pair(zone: string, aProps: Record<string, unknown> = {}, aOpts: Record<string, unknown> = {}): ProgramSpec {
    return {
        resources: [
            { name: "a", props: { zone, ...aProps }, opts: aOpts },
            { name: "b", props: {}, refs: { upstream: "a.id" } },
        ],
    };
}

describe("engine replacements", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("creates the replacement first and deletes the original at the end of the update", async () => {
        stack = new TestStack();
        expect((await stack.upFast(pair("z1"))).code).toBe(0);
        const oldA = stack.resource("a")!.id;
        const b = stack.resource("b")!.id;
        stack.clearCalls();

        const r = await stack.up(pair("z2"));
        expect(r.code, r.stderr).toBe(0);
        const preview = pass(r.stdout, "Previewing update");
        expect(planLines(preview)).toEqual([`+- ${T}  a  replace [diff: ~zone]`, `~ ${T}  b  update [diff: ~upstream]`]);
        expect(summary(preview)).toEqual(["~ 1 to update", "+-1 to replace", "2 changes. 1 unchanged"]);
        const update = pass(r.stdout, "Updating");
        expect(planLines(update)).toEqual([
            `+- ${T}  a  replaced [diff: ~zone]`,
            `~ ${T}  b  updated [diff: ~upstream]`,
            `-- ${T}  a  deleted original`,
        ]);
        expect(summary(update)).toEqual(["~ 1 updated", "+-1 replaced", "2 changes. 1 unchanged"]);

        const newA = stack.resource("a")!.id!;
        expect(newA).not.toBe(oldA);
        expect(stack.mutations()).toEqual([`create ${newA}`, `update ${b}`, `delete ${oldA}`]);
        // The replacement was checked again without the old inputs.
        expect(stack.calls().filter((c) => c === "check a")).toHaveLength(4);
        expect(stack.objectIds()).toEqual([b, newA].sort());
        expect(stack.state().resources.filter((x) => x.delete)).toEqual([]);
    });

    it("deletes first when the program sets deleteBeforeReplace", async () => {
        stack = new TestStack();
        expect((await stack.upFast(pair("z1", {}, { deleteBeforeReplace: true }))).code).toBe(0);
        const oldA = stack.resource("a")!.id;
        const b = stack.resource("b")!.id;
        stack.clearCalls();

        const r = await stack.up(pair("z2", {}, { deleteBeforeReplace: true }));
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Updating"))).toEqual([
            `-- ${T}  a  deleted original`,
            `+- ${T}  a  replaced [diff: ~zone]`,
            `~ ${T}  b  updated [diff: ~upstream]`,
        ]);
        const newA = stack.resource("a")!.id;
        expect(stack.mutations()).toEqual([`delete ${oldA}`, `create ${newA}`, `update ${b}`]);
    });

    it("with the provider's deleteBeforeReplace, also deletes first the dependents the replacement forces out", async () => {
        stack = new TestStack();
        // b's zone comes from a: replacing a makes b's zone unknown, which b's provider answers with a replacement.
        // c only holds a's id, which is an update for it.
        const spec = (zone: string): ProgramSpec => ({
            resources: [
                { name: "a", props: { zone, dbr: true } },
                { name: "b", props: {}, refs: { zone: "a.zone" } },
                { name: "c", props: {}, refs: { upstream: "a.id" } },
            ],
        });
        expect((await stack.upFast(spec("z1"))).code).toBe(0);
        const [a, b, c] = ["a", "b", "c"].map((n) => stack.resource(n)!.id);
        stack.clearCalls();

        const r = await stack.up(spec("z2"));
        expect(r.code, r.stderr).toBe(0);
        const updated = planLines(pass(r.stdout, "Updating"));
        expect(updated.slice(0, 3)).toEqual([`-- ${T}  b  deleted original`, `-- ${T}  a  deleted original`, `+- ${T}  a  replaced [diff: ~zone]`]);
        expect(updated).toContain(`+- ${T}  b  replaced [diff: ~zone]`);
        expect(updated).toContain(`~ ${T}  c  updated [diff: ~upstream]`);
        expect(summary(pass(r.stdout, "Updating"))).toEqual(["~ 1 updated", "+-2 replaced", "3 changes. 1 unchanged"]);

        const [newA, newB] = ["a", "b"].map((n) => stack.resource(n)!.id);
        const m = stack.mutations();
        expect(m.slice(0, 3)).toEqual([`delete ${b}`, `delete ${a}`, `create ${newA}`]);
        expect(m).toContain(`create ${newB}`);
        expect(m).toContain(`update ${c}`);
        expect(m).toHaveLength(5);
        expect(stack.readObject(newB!)).toMatchObject({ zone: "z2" });

        // A dependent deleted ahead of the replacement that the program no longer declares is simply deleted.
        stack.clearCalls();
        const dropped = spec("z3");
        dropped.resources = dropped.resources!.filter((x) => x.name !== "b");
        const r2 = await stack.up(dropped);
        expect(r2.code, r2.stderr).toBe(0);
        expect(planLines(pass(r2.stdout, "Previewing update"))).toContain(`- ${T}  b  delete`);
        expect(summary(pass(r2.stdout, "Updating"))).toEqual(["~ 1 updated", "- 1 deleted", "+-1 replaced", "3 changes. 1 unchanged"]);
        expect(stack.mutations().slice(0, 2)).toEqual([`delete ${newB}`, `delete ${newA}`]);
        expect(stack.resource("b")).toBeUndefined();
    });

    it("compares the inputs itself when the provider's diff does not say (changes undefined)", async () => {
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "a", props: { unknownDiff: true, size: 1 } }] })).code).toBe(0);
        stack.clearCalls();
        const same = await stack.preview({ resources: [{ name: "a", props: { unknownDiff: true, size: 1 } }] });
        expect(summary(same.stdout)).toEqual(["2 unchanged"]);
        const r = await stack.preview({ resources: [{ name: "a", props: { unknownDiff: true, size: 2 } }] });
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(r.stdout)).toEqual([`~ ${T}  a  update [diff: ~size]`]);
    });
});
