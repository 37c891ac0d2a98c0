// Communities billed by their own accounts, through the whole real path: the local engine, @pulumi/pulumi's program
// runner and dynamic-provider host, the installed package, the embedded control plane. Two communities on two
// accounts, a project in each and no BillingLink: preview passes (the SDK counts a community created with an account
// as billed), up creates them in order, a community pointed at the other account is updated in place (never
// replaced) and its billing re-pointed on the platform, refresh finds nothing changed, destroy takes everything down
// in an order the platform accepts. A community with no billing at all is refused in preview, saying both fixes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("community-billing", "billing");

const engine = (command: string, config: string[] = []) => stack.run(command, { config });

/** Rows of a kind in the control plane, with their fields (none before the database exists). */
function rows(kind: string): { id: string; name: string; spec: Record<string, any> }[] {
    const found = stack.database((db) => db.prepare("SELECT id, name, spec FROM objects WHERE kind = ?").all(kind) as { id: string; name: string; spec: string }[]) ?? [];
    return found.map((r) => ({ ...r, spec: JSON.parse(r.spec) }));
}

/** Which account pays for each community the program made: community's logical name -> account's logical name. */
function paidBy(): Record<string, string> {
    const accounts = new Map(rows("BillingAccount").map((a) => [a.id, a.name.replace(/-[a-z0-9]+$/, "")]));
    return Object.fromEntries(rows("Community").filter((c) => c.spec.billingAccountId).map((c) => [c.name.replace(/-[a-z0-9]+$/, ""), accounts.get(c.spec.billingAccountId)!]));
}

const unchanged = (out: string) => /\d+ unchanged/.test(out) && !/to (create|update|replace|delete)/.test(out);

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

describe("communities billed by their own accounts, through the local engine", () => {
    it("need no BillingLink, are re-pointed in place, refreshed unchanged and destroyed in order", () => {
        // A community the program leaves unbilled: refused in preview, before anything exists, saying both fixes.
        const refused = engine("preview", ["sandbox=true"]);
        expect(refused.status, refused.out).toBe(1);
        expect(refused.out).toMatch(/experiments.*property community value .* has a problem: has no billing account in this program, got community "sandbox-[a-z0-9]+" created without billingAccount and with no BillingLink declared before this project\. .*create community "sandbox-[a-z0-9]+" with `billingAccount`, or declare a BillingLink for it/);
        expect(rows("Community")).toEqual([]);

        const up = engine("up");
        expect(up.status, up.out).toBe(0);
        expect(up.out).toMatch(/\+ 8 created/);
        expect(paidBy()).toEqual({ research: "research-budget", production: "production-budget" });
        expect(rows("BillingLink")).toEqual([]);
        expect(rows("Project")).toHaveLength(2);
        const researchId = rows("Community").find((c) => c.name.startsWith("research-"))!.id;
        const again = engine("preview");
        expect(unchanged(again.out), again.out).toBe(true);

        // Research is now paid by production's account: the same community, updated, its billing re-pointed.
        const moved = engine("up", ["researchPaidBy=production"]);
        expect(moved.status, moved.out).toBe(0);
        expect(moved.out).toMatch(/research\s+updated \[diff: ~billingAccountId\]/);
        expect(moved.out).toMatch(/~ 1 updated/);
        expect(moved.out).not.toMatch(/replace/);
        expect(paidBy()).toEqual({ research: "production-budget", production: "production-budget" });
        expect(rows("Community").find((c) => c.name.startsWith("research-"))!.id).toBe(researchId);
        const refreshed = engine("refresh", ["researchPaidBy=production"]);
        expect(refreshed.status, refreshed.out).toBe(0);
        expect(unchanged(engine("preview", ["researchPaidBy=production"]).out)).toBe(true);

        // Accounts are deleted after the communities they pay for (which block their deletion while they exist).
        const destroy = engine("destroy", ["researchPaidBy=production"]);
        expect(destroy.status, destroy.out).toBe(0);
        expect(destroy.out).toMatch(/- 8 deleted/);
        expect([...rows("Community"), ...rows("BillingAccount"), ...rows("Organization")]).toEqual([]);
    }, 300_000);
});
