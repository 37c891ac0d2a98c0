// The DataSphere client against the fake, over TLS through the SDK's client factory and generated clients: the
// exact requests it sends (fields, update-mask paths in snake_case, access-binding deltas, the idempotency key and
// the authorization header), and what it makes of the answers (the provider's objects, NOT_FOUND for what is gone).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControlPlaneClient } from "../../provider/client/client";
import { dataSphereClient } from "../../provider/client/datasphere";
import { OWNER_LABEL, ownerLabelValue } from "../../provider/client/datasphere/mapping";
import { DataSphereFake, FAKE_TOKEN } from "../support/datasphere-fake";
import { configFor, FAST, rejection, urn, UUID } from "../support/datasphere-client";

let fake: DataSphereFake;
let client: ControlPlaneClient;
let org: string;
let billing: string;

beforeAll(async () => {
    fake = await DataSphereFake.start();
    org = fake.addOrganization("acme", "Acme");
    billing = fake.addBillingAccount("main");
    client = dataSphereClient(configFor(fake), FAST);
});
afterAll(() => fake.stop());

async function community(name: string, zone = "ru-central1-a", spec: Record<string, unknown> = {}) {
    return client.create({ kind: "Community", spec: { organizationId: org, name, zone, ...spec }, owner: urn("Community", name), idempotencyKey: `k-${name}-${Math.random()}` });
}

describe("communities", () => {
    it("creates with the organization, zone, billing account and the owner label, authorized and keyed, and follows the operation", async () => {
        const before = fake.requests.length;
        const c = await community("research", "ru-central1-a", { description: "ML research", labels: { team: "ml" }, billingAccountId: billing });
        const sent = fake.requests.slice(before);
        const create = sent.find((r) => r.method === "CommunityService.Create")!;
        expect(create.request).toEqual({
            name: "research", description: "ML research", organizationId: org, billingAccountId: billing, zoneId: "ru-central1-a",
            labels: { team: "ml", [OWNER_LABEL]: ownerLabelValue(urn("Community", "research")) },
        });
        expect(create.metadata.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
        expect(create.metadata["idempotency-key"]).toMatch(UUID);
        // Looked for its own object first (a rerun after a crash), then created, then polled the operation.
        expect(sent.map((r) => r.method)).toEqual(expect.arrayContaining(["CommunityService.List", "CommunityService.Create", "OperationService.Get", "CommunityService.Get"]));
        expect(sent.every((r) => r.metadata.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
        expect(c).toMatchObject({
            kind: "Community", id: fake.communities.values().next().value!.id, version: 1, organizationId: org, zone: "ru-central1-a",
            spec: { organizationId: org, name: "research", description: "ML research", labels: { team: "ml" }, zone: "ru-central1-a" },
            context: { organization: "acme" },
        });
        expect(await client.get("Community", c.id)).toEqual(c);
    });

    it("sends each community's own billing account, none when it has none, and never a change of it", async () => {
        const second = fake.addBillingAccount("second");
        const before = fake.requests.length;
        const a = await community("billed-a", "ru-central1-a", { billingAccountId: billing });
        const b = await community("billed-b", "ru-central1-a", { billingAccountId: second });
        const none = await community("unbilled");
        const sent = fake.requests.slice(before).filter((r) => r.method === "CommunityService.Create").map((r) => [r.request.name, r.request.billingAccountId]);
        expect(sent).toEqual([["billed-a", billing], ["billed-b", second], ["unbilled", ""]]);
        // The platform cannot say it back: a read has no billing account (refresh keeps the state's, host.ts).
        for (const c of [a, b, none]) expect((await client.get("Community", c.id)).spec).not.toHaveProperty("billingAccountId");
        // The host refuses a change in preview (backends.ts); the client does not pretend the platform took one either.
        const quiet = fake.requests.length;
        const e = await rejection(client.update({ kind: "Community", id: a.id, patch: { billingAccountId: second, description: "x" }, owner: urn("Community", "billed-a") }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(/^Community "billed-a": billingAccountId cannot change on DataSphere, got "dn2\w+": the API sets a community's billing account only when it is created\. Put the old value back; link the community to another account in the DataSphere UI\.$/);
        expect(fake.requests.slice(quiet).map((r) => r.method)).not.toContain("CommunityService.Update");
    });

    it("updates only what differs, with the mask paths name, description, labels, and keeps the owner label", async () => {
        const c = await community("updates", "ru-central1-b", { description: "old", labels: { a: "1" } });
        const before = fake.requests.length;
        const updated = await client.update({ kind: "Community", id: c.id, patch: { description: "new", labels: { a: "2" } }, owner: urn("Community", "updates") });
        const update = fake.requests.slice(before).find((r) => r.method === "CommunityService.Update")!;
        expect(update.request.updateMask).toEqual({ paths: ["description", "labels"] });
        expect(update.request.labels).toEqual({ a: "2", [OWNER_LABEL]: ownerLabelValue(urn("Community", "updates")) });
        expect(update.metadata["idempotency-key"]).toMatch(UUID);
        expect(updated.spec).toMatchObject({ description: "new", labels: { a: "2" } });
        const quiet = fake.requests.length;
        await client.update({ kind: "Community", id: c.id, patch: { description: "new" }, owner: urn("Community", "updates") });
        expect(fake.requests.slice(quiet).map((r) => r.method)).not.toContain("CommunityService.Update");
        const cleared = await client.update({ kind: "Community", id: c.id, patch: { labels: null }, owner: urn("Community", "updates") });
        expect(cleared.spec.labels).toBeUndefined();
        expect(fake.communities.get(c.id)!.labels).toEqual({ [OWNER_LABEL]: ownerLabelValue(urn("Community", "updates")) });
    });

    it("reads a community deleted outside Pulumi as NOT_FOUND, and deletes with its own key", async () => {
        const c = await community("gone");
        fake.communities.delete(c.id);
        expect((await rejection(client.get("Community", c.id))).code).toBe("NOT_FOUND");
        const other = await community("deleted");
        const before = fake.requests.length;
        await client.delete({ kind: "Community", id: other.id });
        const del = fake.requests.slice(before).find((r) => r.method === "CommunityService.Delete")!;
        expect(del.request).toEqual({ communityId: other.id });
        expect(del.metadata["idempotency-key"]).toMatch(UUID);
        expect(fake.communities.has(other.id)).toBe(false);
    });

    it("takes over what an interrupted run of the same resource created, and refuses another's namesake unless adopted", async () => {
        const first = await community("rerun", "ru-central1-a", { description: "v1" });
        const count = fake.communities.size;
        const again = await client.create({ kind: "Community", spec: { organizationId: org, name: "rerun", zone: "ru-central1-a", description: "v2" }, owner: urn("Community", "rerun"), idempotencyKey: "other-key" });
        expect(again.id).toBe(first.id);
        expect(again.spec.description).toBe("v2");
        expect(fake.communities.size).toBe(count);
        const e = await rejection(client.create({ kind: "Community", spec: { organizationId: org, name: "rerun", zone: "ru-central1-a" }, owner: urn("Community", "someone-else") }));
        expect(e.code).toBe("ALREADY_EXISTS");
        expect(e.message).toMatch(/^Community "rerun" already exists in organization .* \(id .*\): it carries another Pulumi resource's owner label/);
        // One made in the console (no owner label) is taken only with adopt.
        const console = await community("console-made");
        fake.communities.get(console.id)!.labels = {};
        expect((await rejection(client.create({ kind: "Community", spec: { organizationId: org, name: "console-made", zone: "ru-central1-a" }, owner: urn("Community", "mine") }))).message).toMatch(/adopt: true/);
        const adopted = await client.create({ kind: "Community", spec: { organizationId: org, name: "console-made", zone: "ru-central1-a" }, owner: urn("Community", "mine"), adopt: true });
        expect(adopted.id).toBe(console.id);
        expect(fake.communities.get(console.id)!.labels[OWNER_LABEL]).toBe(ownerLabelValue(urn("Community", "mine")));
    });
});

describe("projects", () => {
    it("creates with settings and limits, sets the unit balance, and reads it all back", async () => {
        const c = await community("projects");
        const before = fake.requests.length;
        const p = await client.create({
            kind: "Project", owner: urn("Project", "training"), idempotencyKey: "p1",
            spec: {
                communityId: c.id, name: "training", description: "d", settings: { subnetId: "e9bsubnet", ide: "JUPYTER_LAB", staleExecTimeoutMode: "THREE_HOURS", vmInactivityTimeoutSeconds: 1800, securityGroupIds: ["sg1", "sg2"] },
                limits: { maxUnitsPerHour: 500 }, unitBalance: 1000,
            },
        });
        const sent = fake.requests.slice(before);
        const create = sent.find((r) => r.method === "ProjectService.Create")!;
        expect(create.request).toMatchObject({
            communityId: c.id, name: "training", description: "d",
            settings: { subnetId: "e9bsubnet", ide: 1, staleExecTimeoutMode: 2, vmInactivityTimeout: { seconds: 1800, nanos: 0 }, securityGroupIds: ["sg1", "sg2"], serviceAccountId: "" },
            limits: { maxUnitsPerHour: 500 },
        });
        expect(sent.find((r) => r.method === "ProjectService.SetUnitBalance")!.request).toEqual({ projectId: p.id, unitBalance: 1000 });
        expect(p).toMatchObject({
            kind: "Project", zone: "ru-central1-a", organizationId: org, context: { organization: "acme", zone: "ru-central1-a" },
            spec: { communityId: c.id, name: "training", description: "d", limits: { maxUnitsPerHour: 500 }, unitBalance: 1000,
                settings: { subnetId: "e9bsubnet", ide: "JUPYTER_LAB", staleExecTimeoutMode: "THREE_HOURS", vmInactivityTimeoutSeconds: 1800, securityGroupIds: ["sg1", "sg2"] } },
        });
    });

    it("sends the update mask in snake_case, one path per changed sub-field, and the balance through SetUnitBalance only", async () => {
        const c = await community("masks");
        const p = await client.create({ kind: "Project", owner: urn("Project", "masked"), spec: { communityId: c.id, name: "masked", settings: { subnetId: "a", serviceAccountId: "sa" }, limits: { maxUnitsPerHour: 1 } } });
        let before = fake.requests.length;
        const updated = await client.update({
            kind: "Project", id: p.id, owner: urn("Project", "masked"),
            patch: { settings: { subnetId: "b", serviceAccountId: "sa", vmInactivityTimeoutSeconds: 60 }, limits: { maxUnitsPerHour: 1, maxUnitsPerExecution: 7 } },
        });
        const update = fake.requests.slice(before).find((r) => r.method === "ProjectService.Update")!;
        expect(update.request.updateMask.paths).toEqual(["settings.subnet_id", "settings.vm_inactivity_timeout", "limits.max_units_per_execution"]);
        expect(updated.spec).toMatchObject({ settings: { subnetId: "b", serviceAccountId: "sa", vmInactivityTimeoutSeconds: 60 }, limits: { maxUnitsPerHour: 1, maxUnitsPerExecution: 7 } });
        before = fake.requests.length;
        const balanced = await client.update({ kind: "Project", id: p.id, owner: urn("Project", "masked"), patch: { unitBalance: 42 } });
        const methods = fake.requests.slice(before).map((r) => r.method);
        expect(methods).toContain("ProjectService.SetUnitBalance");
        expect(methods).not.toContain("ProjectService.Update");
        expect(balanced.spec.unitBalance).toBe(42);
        // Clearing a setting sends its path with the empty value.
        before = fake.requests.length;
        await client.update({ kind: "Project", id: p.id, owner: urn("Project", "masked"), patch: { settings: { serviceAccountId: "sa" } } });
        expect(fake.requests.slice(before).find((r) => r.method === "ProjectService.Update")!.request.updateMask.paths).toEqual(["settings.subnet_id", "settings.vm_inactivity_timeout"]);
        expect(fake.projects.get(p.id)!.settings).toMatchObject({ subnetId: "", serviceAccountId: "sa", vmInactivityTimeout: undefined });
    });

    it("refuses to move a project to another community, and reads a deleted one as NOT_FOUND", async () => {
        const c = await community("moves");
        const p = await client.create({ kind: "Project", owner: urn("Project", "fixed"), spec: { communityId: c.id, name: "fixed" } });
        const e = await rejection(client.update({ kind: "Project", id: p.id, patch: { communityId: "bt1other" } }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(/^Project "fixed": communityId can never change on DataSphere/);
        await client.delete({ kind: "Project", id: p.id });
        expect((await rejection(client.get("Project", p.id))).code).toBe("NOT_FOUND");
    });
});

describe("members", () => {
    it("grants, changes and removes one subject's role with deltas, never touching anyone else's", async () => {
        const c = await community("people");
        fake.grant(c.id, "datasphere.communities.viewer", { type: "userAccount", id: "bob" });
        let before = fake.requests.length;
        const m = await client.create({ kind: "CommunityMember", spec: { communityId: c.id, subject: "userAccount:alice", role: "developer" }, owner: urn("CommunityMember", "alice") });
        const add = fake.requests.slice(before).find((r) => r.method === "CommunityService.UpdateAccessBindings")!;
        expect(add.request).toEqual({ resourceId: c.id, accessBindingDeltas: [{ action: 1, accessBinding: { roleId: "datasphere.communities.developer", subject: { type: "userAccount", id: "alice" } } }] });
        expect(add.metadata["idempotency-key"]).toMatch(UUID);
        expect(m).toMatchObject({ id: `${c.id}/userAccount:alice`, spec: { communityId: c.id, subject: "userAccount:alice", role: "developer" }, context: { organization: "acme" } });

        before = fake.requests.length;
        await client.update({ kind: "CommunityMember", id: m.id, patch: { role: "admin" } });
        const change = fake.requests.slice(before).filter((r) => r.method === "CommunityService.UpdateAccessBindings");
        expect(change).toHaveLength(1);
        expect(change[0].request.accessBindingDeltas).toEqual([
            { action: 2, accessBinding: { roleId: "datasphere.communities.developer", subject: { type: "userAccount", id: "alice" } } },
            { action: 1, accessBinding: { roleId: "datasphere.communities.admin", subject: { type: "userAccount", id: "alice" } } },
        ]);
        expect((await client.get("CommunityMember", m.id)).spec.role).toBe("admin");

        await client.delete({ kind: "CommunityMember", id: m.id });
        expect(fake.bindings.get(c.id)).toEqual([{ roleId: "datasphere.communities.viewer", subject: { type: "userAccount", id: "bob" } }]);
        expect((await rejection(client.get("CommunityMember", m.id))).code).toBe("NOT_FOUND");
        expect(fake.calls("CommunityService.SetAccessBindings")).toHaveLength(0);
    });

    it("reads every page of a project's bindings and reports the highest of a subject's roles", async () => {
        const c = await community("paged");
        const p = await client.create({ kind: "Project", owner: urn("Project", "paged"), spec: { communityId: c.id, name: "paged" } });
        for (let i = 0; i < 7; i++) fake.grant(p.id, "datasphere.community-projects.viewer", { type: "userAccount", id: `u${i}` });
        fake.grant(p.id, "datasphere.community-projects.viewer", { type: "serviceAccount", id: "ci" });
        fake.grant(p.id, "datasphere.community-projects.editor", { type: "serviceAccount", id: "ci" });
        fake.faults.bindingsPage = 3;
        try {
            const before = fake.requests.length;
            const m = await client.get("ProjectMember", `${p.id}/serviceAccount:ci`);
            expect(m.spec).toEqual({ projectId: p.id, subject: "serviceAccount:ci", role: "editor" });
            expect(fake.requests.slice(before).filter((r) => r.method === "ProjectService.ListAccessBindings").map((r) => r.request.pageToken)).toEqual(["", "3", "6"]);
        } finally {
            fake.faults.bindingsPage = 1000;
        }
    });

    it("takes over a role granted elsewhere only when it is the same or adopted", async () => {
        const c = await community("granted");
        fake.grant(c.id, "datasphere.communities.editor", { type: "userAccount", id: "carol" });
        const e = await rejection(client.create({ kind: "CommunityMember", spec: { communityId: c.id, subject: "userAccount:carol", role: "viewer" } }));
        expect(e.code).toBe("ALREADY_EXISTS");
        expect(e.message).toMatch(/already holds datasphere\.communities\.editor on .*adopt: true/);
        const same = await client.create({ kind: "CommunityMember", spec: { communityId: c.id, subject: "userAccount:carol", role: "editor" } });
        expect(same.spec.role).toBe("editor");
        const adopted = await client.create({ kind: "CommunityMember", spec: { communityId: c.id, subject: "userAccount:carol", role: "viewer" }, adopt: true });
        expect(adopted.spec.role).toBe("viewer");
        expect(fake.bindings.get(c.id)).toEqual([{ roleId: "datasphere.communities.viewer", subject: { type: "userAccount", id: "carol" } }]);
    });
});

describe("shares", () => {
    it("shares a resource named by its project, reads it while both ends exist, and unshares", async () => {
        const home = await community("home");
        const target = await community("target");
        const p = await client.create({ kind: "Project", owner: urn("Project", "owner"), spec: { communityId: home.id, name: "owner" } });
        const dataset = fake.addResource(p.id, 4);
        const reference = `${p.id}/${dataset}`;
        const resource = await client.get("Dataset", reference);
        expect(resource).toMatchObject({ id: reference, zone: "ru-central1-a", organizationId: org, spec: { projectId: p.id, name: dataset }, context: { organization: "acme", zone: "ru-central1-a" } });
        const before = fake.requests.length;
        const share = await client.create({ kind: "Share", spec: { resourceId: reference, resourceKind: "Dataset", communityId: target.id } });
        const add = fake.requests.slice(before).find((r) => r.method === "CommunityService.AddResource")!;
        expect(add.request).toEqual({ communityId: target.id, resourceType: 4, resourceId: dataset });
        expect(add.metadata["idempotency-key"]).toMatch(UUID);
        expect(share).toMatchObject({
            id: `${target.id}/Dataset/${reference}`, spec: { resourceId: reference, resourceKind: "Dataset", communityId: target.id },
            context: { resourceZone: "ru-central1-a", communityZone: "ru-central1-a", communityName: "target", resourceOrganization: "acme", communityOrganization: "acme" },
        });
        expect(await client.get("Share", share.id)).toEqual(share);
        // Shared already (a rerun, or by hand): what the program wants.
        expect((await client.create({ kind: "Share", spec: { resourceId: reference, resourceKind: "Dataset", communityId: target.id } })).id).toBe(share.id);
        await client.delete({ kind: "Share", id: share.id });
        expect(fake.shared.get(target.id)!.size).toBe(0);
        expect((await rejection(client.delete({ kind: "Share", id: share.id }))).code).toBe("NOT_FOUND");
        // Gone at one end: the share is gone for refresh.
        fake.communities.delete(target.id);
        expect((await rejection(client.get("Share", share.id))).code).toBe("NOT_FOUND");
    });

    it("refuses a share across zones before calling AddResource, naming both ends", async () => {
        const west = await community("west", "ru-central1-a");
        const east = await community("east", "ru-central1-b");
        const p = await client.create({ kind: "Project", owner: urn("Project", "westp"), spec: { communityId: west.id, name: "westp" } });
        const secret = fake.addResource(p.id, 2);
        const before = fake.calls("CommunityService.AddResource").length;
        const e = await rejection(client.create({ kind: "Share", spec: { resourceId: `${p.id}/${secret}`, resourceKind: "Secret", communityId: east.id } }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toBe(`Share Secret ${secret} -> community ${east.id}: cannot share Secret ${secret} in zone ru-central1-a into community "east" in zone ru-central1-b. Share only into a community of the resource's zone.`);
        expect(fake.calls("CommunityService.AddResource")).toHaveLength(before);
    });
});

describe("a project's use of a shared resource", () => {
    it("adds the shared resource to a project of the target community, refuses another community's project, and removes it", async () => {
        const home = await community("use-home");
        const target = await community("use-target");
        const source = await client.create({ kind: "Project", owner: urn("Project", "source"), spec: { communityId: home.id, name: "source" } });
        const dataset = fake.addResource(source.id, 4);
        const share = await client.create({ kind: "Share", spec: { resourceId: `${source.id}/${dataset}`, resourceKind: "Dataset", communityId: target.id } });
        const serving = await client.create({ kind: "Project", owner: urn("Project", "serving"), spec: { communityId: target.id, name: "serving" } });
        const before = fake.requests.length;
        const use = await client.create({ kind: "SharedResourceUse", spec: { projectId: serving.id, shareId: share.id } });
        const add = fake.requests.slice(before).find((r) => r.method === "ProjectService.AddResource")!;
        expect(add.request).toEqual({ projectId: serving.id, resourceType: 4, resourceId: dataset });
        expect(add.metadata["idempotency-key"]).toMatch(UUID);
        expect(use).toMatchObject({
            id: `${serving.id}/${share.id}`, spec: { projectId: serving.id, shareId: share.id },
            context: { projectName: "serving", projectCommunityId: target.id, shareCommunityId: target.id, resourceKind: "Dataset", communityName: "use-target" },
        });
        expect(await client.get("SharedResourceUse", use.id)).toEqual(use);
        // A project of the resource's own community is not one the share publishes into.
        const calls = fake.calls("ProjectService.AddResource").length;
        const e = await rejection(client.create({ kind: "SharedResourceUse", spec: { projectId: source.id, shareId: share.id } }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(/project "source" is in community .*, but the Dataset is shared into community "use-target"/);
        expect(fake.calls("ProjectService.AddResource")).toHaveLength(calls);
        await client.delete({ kind: "SharedResourceUse", id: use.id });
        expect(fake.used.get(serving.id)!.size).toBe(0);
        await client.delete({ kind: "Project", id: serving.id });
        expect((await rejection(client.get("SharedResourceUse", use.id))).code).toBe("NOT_FOUND");
    });
});

describe("read-only and unavailable kinds", () => {
    it("reads organizations and billing accounts, and refuses to create them, naming the mode and what to do", async () => {
        expect(await client.get("Organization", org)).toMatchObject({ id: org, kind: "Organization", organizationId: org, spec: { name: "acme", displayName: "Acme" } });
        expect(await client.get("BillingAccount", billing)).toMatchObject({ id: billing, spec: { name: "main", status: "active" }, extra: { currency: "RUB" } });
        const e = await rejection(client.create({ kind: "Organization", spec: { name: "x", displayName: "X", defaultZone: "ru-central1-a" } }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(/^Organization "x": Organization cannot be created in datasphere mode \(mlplatform:backend datasphere\): .*ml\.Organization\.get/);
        expect((await rejection(client.create({ kind: "Model", spec: { name: "m" } }))).message).toMatch(/Model is not available in datasphere mode/);
        expect((await rejection(client.get("Checkpoint", "x"))).message).toMatch(/Checkpoint x cannot be read in datasphere mode/);
        expect((await rejection(client.get("Organization", "bpfmissing"))).code).toBe("NOT_FOUND");
    });

    it("says who it is without calling anything", async () => {
        const before = fake.requests.length;
        expect(await client.identity()).toEqual({ id: `yandex-cloud-datasphere:${fake.endpoint}` });
        expect(client.location).toBe(`Yandex Cloud DataSphere at ${fake.endpoint}`);
        expect(fake.requests.length).toBe(before);
    });
});
