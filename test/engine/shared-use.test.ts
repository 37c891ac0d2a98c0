// A project's use of a shared resource through the whole real path: the local engine, @pulumi/pulumi's program runner
// and dynamic-provider host, the installed package, the embedded control plane. A project of a community the resource
// is not shared into is refused in preview (before anything exists, told by the communities' names; later, by their
// ids) and `up` stops there; a use in the right project is created after its share and destroyed before it, since
// the platform keeps a share while a project uses it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, pass, planLines } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("shared-use", "use");
const TYPE = "pulumi-nodejs:dynamic/mlplatform";

const engine = (command: string, useIn: "serving" | "notebooks") => stack.run(command, { config: [`useIn=${useIn}`] });

/** The control plane's objects by kind (none before the database exists). */
function objects(): Record<string, number> {
    const rows = stack.database((db) => db.prepare("SELECT kind, count(*) AS n FROM objects GROUP BY kind").all() as { kind: string; n: number }[]) ?? [];
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/** The refusal, as the engine prints a check failure on the program's `project`. */
const REFUSED = /SharedResourceUse.*property project value .* has a problem: cannot use Dataset "images-[a-z0-9]+" in project "notebooks-[a-z0-9]+" of community "research-[a-z0-9]+": it is shared into community "production-[a-z0-9]+" only, and a project uses only what is shared into its own community\. Share it into community "research-[a-z0-9]+" as well \(another Share\), or use it in a project of community "production-[a-z0-9]+"\./;

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

describe("a shared resource used in a project, through the local engine", () => {
    it("is refused in preview for a project of another community, and created, kept and destroyed in order for its own", () => {
        // A new stack: no object has an id yet, the communities' names decide. `up` stops at its preview.
        const first = engine("preview", "notebooks");
        expect(first.status, first.out).toBe(1);
        expect(first.out).toMatch(REFUSED);
        expect(engine("up", "notebooks").status).toBe(1);
        expect(objects()).toEqual({});

        const up = engine("up", "serving");
        expect(up.status, up.out).toBe(0);
        const created = planLines(pass(up.stdout, "Updating")).map((l) => l.split(/\s+/).slice(1, 3).join(" "));
        // Pulumi orders by dependency: the use after its share and its project.
        expect(created.indexOf(`${TYPE}:SharedResourceUse images-in-project`)).toBeGreaterThan(created.indexOf(`${TYPE}:Share images-to-production`));
        expect(objects()).toMatchObject({ Share: 1, SharedResourceUse: 1, Project: 3 });
        expect(up.out).toMatch(/usedBy\s*: "serving-[a-z0-9]+"/);
        const again = engine("preview", "serving");
        expect(again.status, again.out).toBe(0);
        expect(again.out).toMatch(/\d+ unchanged/);
        expect(again.out).not.toMatch(/to (create|update|replace|delete)/);

        // Everything exists now: the communities' ids decide, and the preview still refuses.
        const later = engine("preview", "notebooks");
        expect(later.status, later.out).toBe(1);
        expect(later.out).toMatch(REFUSED);
        expect(objects()).toMatchObject({ SharedResourceUse: 1 });

        // The platform refuses to delete a share a project uses; destroy deletes the use first, then the share.
        const destroy = engine("destroy", "serving");
        expect(destroy.status, destroy.out).toBe(0);
        const deleted = planLines(pass(destroy.stdout, "Destroying")).map((l) => l.split(/\s+/).slice(1, 3).join(" "));
        expect(deleted.indexOf(`${TYPE}:SharedResourceUse images-in-project`)).toBeGreaterThanOrEqual(0);
        expect(deleted.indexOf(`${TYPE}:SharedResourceUse images-in-project`)).toBeLessThan(deleted.indexOf(`${TYPE}:Share images-to-production`));
        expect(objects()).toEqual({});
    }, 300_000);
});
