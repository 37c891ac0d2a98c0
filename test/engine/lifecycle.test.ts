// End to end through the real path: the engine CLI, @pulumi/pulumi/cmd/run and the SDK's dynamic provider host.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import { assertBuilt, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

/** a <- b <- c: b takes a's id, c takes b's id. */
function chain(overrides: Partial<Record<"a" | "b" | "c", Record<string, unknown>>> = {}, drop: string[] = []): ProgramSpec {
    return {
        resources: [
            { name: "a", props: { size: 1, ...overrides.a } },
            { name: "b", props: { size: 2, ...overrides.b }, refs: { upstream: "a.id" } },
            { name: "c", props: { size: 3, ...overrides.c }, refs: { upstream: "b.id" } },
        ].filter((r) => !drop.includes(r.name)),
        exports: { aPath: "a.path", cSize: "c.size" },
    };
}

describe("engine lifecycle", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("preview shows the creates, calls no create and writes no state", async () => {
        stack = new TestStack();
        const r = await stack.preview(chain());
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(r.stdout)).toEqual([
            `+ pulumi:pulumi:Stack  files-${stack.name}  create`,
            `+ ${T}  a  create`,
            `+ ${T}  b  create`,
            `+ ${T}  c  create`,
        ]);
        expect(summary(r.stdout)).toEqual(["+ 4 to create"]);
        // Outputs that only create computes are unknown in a preview; inputs are echoed.
        expect(r.stdout).toMatch(/aPath: output<string>\n {4}cSize: 3\n/);
        expect(stack.calls().filter((c) => !c.startsWith("check "))).toEqual([]);
        expect(stack.objectIds()).toEqual([]);
        for (const f of [stack.stateFile, stack.keyFile, stack.lockFile]) {
            expect(fs.existsSync(f), f).toBe(false);
        }
    });

    it("up creates, a second preview and up change nothing, an input change is an update naming the field", async () => {
        stack = new TestStack();
        const created = await stack.up(chain());
        expect(created.code, created.stderr).toBe(0);
        const update = pass(created.stdout, "Updating");
        expect(planLines(update)).toEqual([
            `+ pulumi:pulumi:Stack  files-${stack.name}  created`,
            `+ ${T}  a  created`,
            `+ ${T}  b  created`,
            `+ ${T}  c  created`,
        ]);
        expect(summary(update)).toEqual(["+ 4 created"]);
        expect(stack.mutations().map((m) => m.replace(/-[0-9a-f]{6}$/, ""))).toEqual(["create a", "create b", "create c"]);
        const a = stack.resource("a")!;
        expect(stack.objectIds()).toContain(a.id);
        expect(stack.resource("b")!.inputs.upstream).toBe(a.id);
        expect(stack.resource("b")!.dependencies).toEqual([a.urn]);
        // Stack outputs are printed after the update.
        expect(update).toContain(`aPath: "${stack.objects}/${a.id}.json"`);

        stack.clearCalls();
        const again = await stack.preview(chain());
        expect(again.code, again.stderr).toBe(0);
        expect(planLines(again.stdout)).toEqual([]);
        expect(summary(again.stdout)).toEqual(["4 unchanged"]);
        const upAgain = await stack.up(chain());
        expect(summary(pass(upAgain.stdout, "Updating"))).toEqual(["4 unchanged"]);
        expect(stack.mutations()).toEqual([]);

        const changed = await stack.up(chain({ b: { size: 5, label: "x" } }));
        expect(changed.code, changed.stderr).toBe(0);
        expect(planLines(pass(changed.stdout, "Previewing update"))).toEqual([`~ ${T}  b  update [diff: +label~size]`]);
        expect(summary(pass(changed.stdout, "Previewing update"))).toEqual(["~ 1 to update", "3 unchanged"]);
        expect(planLines(pass(changed.stdout, "Updating"))).toEqual([`~ ${T}  b  updated [diff: +label~size]`]);
        const b = stack.resource("b")!;
        expect(stack.mutations()).toEqual([`update ${b.id}`]);
        expect(stack.readObject(b.id!)).toMatchObject({ size: 5, label: "x", generation: 2 });
        expect(b.inputs).toMatchObject({ size: 5, label: "x" });
    });

    it("deletes a resource the program no longer declares", async () => {
        stack = new TestStack();
        expect((await stack.upFast(chain())).code).toBe(0);
        const c = stack.resource("c")!;
        stack.clearCalls();
        const spec = chain({}, ["c"]);
        spec.exports = { aPath: "a.path" };
        const r = await stack.up(spec);
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Previewing update"))).toEqual([`- ${T}  c  delete`]);
        expect(planLines(pass(r.stdout, "Updating"))).toEqual([`- ${T}  c  deleted`]);
        expect(summary(pass(r.stdout, "Updating"))).toEqual(["- 1 deleted", "3 unchanged"]);
        expect(stack.mutations()).toEqual([`delete ${c.id}`]);
        expect(stack.objectIds()).not.toContain(c.id);
        expect(stack.resource("c")).toBeUndefined();
    });

    it("destroy deletes dependents before what they depend on, components and the stack last", async () => {
        stack = new TestStack();
        const spec = chain();
        spec.components = ["group"];
        spec.resources!.push({ name: "child", props: {}, parent: "group" });
        const up = await stack.upFast(spec);
        expect(up.code, up.stderr).toBe(0);
        // A child's URN carries its parent's type.
        const child = stack.state().resources.find((r) => r.urn.endsWith("::child"))!;
        expect(child.urn).toBe(`urn:pulumi:${stack.name}::files::test:index:Group$${T}::child`);
        const ids = Object.fromEntries(["a", "b", "c"].map((n) => [n, stack.resource(n)!.id]));
        stack.clearCalls();

        const r = await stack.run("destroy", spec, ["--yes"]);
        expect(r.code, r.stderr).toBe(0);
        const deletes = stack.mutations();
        expect(deletes.indexOf(`delete ${ids.c}`)).toBeLessThan(deletes.indexOf(`delete ${ids.b}`));
        expect(deletes.indexOf(`delete ${ids.b}`)).toBeLessThan(deletes.indexOf(`delete ${ids.a}`));
        expect(deletes).toHaveLength(4);
        const lines = planLines(pass(r.stdout, "Destroying"));
        expect(lines[lines.length - 1]).toBe(`- pulumi:pulumi:Stack  files-${stack.name}  deleted`);
        expect(lines.indexOf(`- ${T}  child  deleted`)).toBeLessThan(lines.indexOf(`- test:index:Group  group  deleted`));
        expect(summary(pass(r.stdout, "Destroying"))).toEqual(["- 6 deleted"]);
        expect(stack.objectIds()).toEqual([]);
        expect(stack.state().resources).toEqual([]);
    });
});
