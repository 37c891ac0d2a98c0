// A community's billing account on DataSphere, through Pulumi's own dynamic-provider host over gRPC against the
// DataSphere fake: each community's CreateCommunityRequest carries its own account; refresh keeps the state's
// account (the platform cannot say it back) instead of reporting a change; a change of it fails in check, never
// planned as a replacement; a BillingLink fails in check, saying to pass the account to the community instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostConfigFor } from "../support/datasphere-client";
import { DataSphereFake } from "../support/datasphere-fake";
import { DynamicHost } from "../support/dynamic-host";

const urn = (kind: string, name: string) => `urn:pulumi:dev::billing::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;

let fake: DataSphereFake;
let host: DynamicHost;
let orgId: string;
let research: string;
let production: string;

beforeAll(async () => {
    fake = await DataSphereFake.start();
    orgId = fake.addOrganization("acme", "Acme");
    research = fake.addBillingAccount("research-budget");
    production = fake.addBillingAccount("production-budget");
    host = await DynamicHost.start(hostConfigFor(fake));
}, 30_000);
afterAll(async () => {
    await host?.stop();
    await fake?.stop();
});

const community = (name: string, billingAccountId?: string) => ({
    __owner: urn("Community", name), organizationId: orgId, organization: "acme", zone: "ru-central1-a", ...(billingAccountId ? { billingAccountId } : {}),
});

describe("a community's billing account on DataSphere, through the dynamic-provider host", () => {
    it("creates each community with its own account, keeps it on refresh, and refuses a change of it in check", async () => {
        const before = fake.requests.length;
        const [a, b] = await Promise.all([host.up("Community", community("research", research)), host.up("Community", community("production", production))]);
        const creates = fake.requests.slice(before).filter((r) => r.method === "CommunityService.Create");
        expect(Object.fromEntries(creates.map((r) => [r.request.name.split("-")[0], r.request.billingAccountId]))).toEqual({ research, production });
        expect(a.outs.billingAccountId).toBe(research);

        // Refresh: the platform's Community has no billing field; the state's account stays, so no diff follows.
        const refreshed = await host.read("Community", a.id, a.outs);
        expect(refreshed.props.billingAccountId).toBe(research);
        expect(refreshed.inputs?.billingAccountId).toBe(research);
        expect((await host.diff("Community", a.id, refreshed.inputs!, a.inputs)).changes).toBe("none");
        // A field the platform does say back is still read from it.
        fake.communities.get(a.id)!.description = "changed in the UI";
        expect((await host.read("Community", a.id, a.outs)).inputs?.description).toBe("changed in the UI");

        // The program points research at production's account: refused in check, which preview and up both run.
        const checked = await host.check("Community", a.inputs, { ...community("research", production), name: a.inputs.name });
        expect(checked.failures).toEqual([{
            property: "billingAccount",
            reason: `cannot change in datasphere mode (mlplatform:backend datasphere), got "${production}" for "${research}": DataSphere's API sets billingAccountId only when the community `
                + "is created and has no call that reads or changes it, and the community is never replaced for it. Put the old value back; to change it on the platform, "
                + 'do it in the DataSphere UI and keep the old value here (or add ignoreChanges: ["billingAccountId"] to the resource\'s options).',
        }]);
        // Removed from the program: a change too.
        expect((await host.check("Community", b.inputs, { ...community("production"), name: b.inputs.name })).failures.map((f) => f.property)).toEqual(["billingAccount"]);
        // Had the check been skipped, diff would still not plan a replacement.
        expect((await host.diff("Community", a.id, a.inputs, { ...a.inputs, billingAccountId: production })).replaces).toEqual([]);
        expect(fake.calls("CommunityService.Update").length + fake.calls("CommunityService.Delete").length).toBe(0);
    });

    it("refuses a BillingLink in check, saying to pass the account to the community", async () => {
        const c = await host.up("Community", community("linked"));
        const checked = await host.check("BillingLink", {}, { __owner: urn("BillingLink", "link"), communityId: c.id, billingAccountId: research, organization: "acme" });
        expect(checked.failures).toHaveLength(1);
        expect(checked.failures[0].reason).toMatch(/^BillingLink cannot be declared in datasphere mode \(mlplatform:backend datasphere\): DataSphere sets a community's billing account only when the community is created, and cannot read or change it afterwards\. Pass the account when creating the community, new ml\.Community\("<name>", \{ \.\.\., billingAccount: ml\.BillingAccount\.get\("<name>", "<billing account id>"\) \}\), or link an existing community in the DataSphere UI; then remove this BillingLink/);
    });
});
