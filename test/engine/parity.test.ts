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
});
