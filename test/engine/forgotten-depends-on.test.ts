// A forgotten `dependsOn`, as users meet it now that the local engine runs steps in parallel like the Pulumi CLI:
// through the local engine at its default parallelism, @pulumi/pulumi's program runner and dynamic-provider host, the
// real package and its embedded control plane. A project declared after its community's BillingLink but not
// depending on it passes preview (the SDK counts the community as billed), and up creates it before the link: the
// platform refuses it, and the error names the project, the community and the fix. With `dependsOn: [link]` the
// same program's up goes through, and destroy takes it down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("forgotten-depends-on", "depends");

/** Runs at the engine's default parallelism (PULUMI_PARALLEL unset): several steps at once, as `pulumi up` runs them. */
const engine = (command: string, config: string[] = []) => stack.run(command, { config, env: { PULUMI_PARALLEL: undefined } });

/** Names (without the autoname suffix) of a kind's objects in the control plane; "" for a kind without names (a link). */
function names(kind: string): string[] {
    const rows = stack.database((db) => db.prepare("SELECT name FROM objects WHERE kind = ?").all(kind) as { name: string | null }[]) ?? [];
    return rows.map((r) => (r.name ?? "").replace(/-[a-z0-9]+$/, "")).sort();
}

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

describe("a project that does not depend on its community's BillingLink, through the local engine", () => {
    it("passes preview, fails up naming the community and the fix, and goes through with dependsOn", () => {
        const preview = engine("preview");
        expect(preview.status, preview.out).toBe(0);
        expect(preview.out).toMatch(/\+ 6 to create/);

        const forgotten = engine("up");
        expect(forgotten.status, forgotten.out).toBe(1);
        expect(forgotten.out).toMatch(/Project \(training\):\n\s+error: FAILED_PRECONDITION: Project "training-[a-z0-9]+": community "research-[a-z0-9]+" has no active billing account linked\./);
        expect(forgotten.out).toMatch(/This program declares a BillingLink for the community, but the project does not depend on it, .* created the project first: add the link to the project's options, `new Project\(name, args, \{ dependsOn: \[link\] \}\)`\./);
        expect(names("Project")).toEqual([]);

        const fixed = engine("up", ["dependsOnLink=true"]);
        expect(fixed.status, fixed.out).toBe(0);
        expect(names("Project")).toEqual(["training"]);
        expect(names("BillingLink")).toHaveLength(1);

        const destroyed = engine("destroy", ["dependsOnLink=true"]);
        expect(destroyed.status, destroyed.out).toBe(0);
        expect(names("Project")).toEqual([]);
        expect(names("Community")).toEqual([]);
    }, 180_000);
});
