// The control plane on a real database file: every kind's lifecycle, the default community, versions,
// blocked deletions, billing, sharing, idempotency, optimistic concurrency, immutability, uniqueness, paging.
import { describe, expect, it } from "vitest";
import { SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { ID_PATTERN } from "../../provider/model/ids";
import { KIND_NAMES, KindName, KINDS } from "../../provider/model/kinds";
import { expectError, expectRefused, OWNER, Platform, platform, world } from "./support";

type World = ReturnType<typeof world>;
const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 };
const withoutSecrets = (kind: KindName, spec: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(spec).filter(([k, v]) => !KINDS[kind].secrets.includes(k) && v !== null));

interface Case {
    readonly spec: Record<string, unknown>;
    readonly patch: Record<string, unknown>;
    /** Extra checks on the updated object. */
    readonly after?: (updated: ReturnType<Platform["owner"]["get"]>, p: Platform) => void;
}

const node = (p: Platform, w: World, name: string, extra: Record<string, unknown> = {}) =>
    p.owner.create("Node", { projectId: w.project.id, name, image: "cr.example.net/a/srv:1", instanceSpec: { cpu: 1, memoryGb: 1 }, ...extra });

const CASES: [string, KindName, (p: Platform, w: World) => Case][] = [
    ["Organization", "Organization", () => ({
        spec: { name: "globex", displayName: "Globex", defaultZone: "ru-central1-b", admins: ["userAccount:ada"], members: ["userAccount:m"] },
        patch: { displayName: "Globex Corp", description: "d", members: ["userAccount:m", "userAccount:n"] },
        after: (o, p) => expect(p.owner.get("Community", String(o.extra.defaultCommunityId)).spec.name).toBe("Globex Corp Team"),
    })],
    ["BillingAccount", "BillingAccount", (_p, w) => ({
        spec: { organizationId: w.org.id, name: "second", status: "active" },
        patch: { status: "suspended" },
    })],
    ["Community", "Community", (_p, w) => ({
        spec: { organizationId: w.org.id, name: "east", zone: "ru-central1-b", labels: { team: "ml" } },
        patch: { name: "east-2", description: "Eastern team", labels: null },
        after: (o) => expect(o.spec.labels).toBeUndefined(),
    })],
    ["Community billed by its own account", "Community", (p, w) => {
        const other = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "other", status: "active" });
        return {
            spec: { organizationId: w.org.id, name: "billed", zone: "ru-central1-a", billingAccountId: w.account.id },
            patch: { billingAccountId: other.id },
            // Re-pointed in place: the old account is free, the new one pays for it.
            after: (o) => {
                expect(o.spec.billingAccountId).toBe(other.id);
                expect(expectError(() => p.owner.delete("BillingAccount", other.id)).message).toMatch(/used by Community "billed"/);
            },
        };
    }],
    ["BillingLink", "BillingLink", (p, w) => {
        const c = p.owner.create("Community", { organizationId: w.org.id, name: "linked", zone: "ru-central1-a" });
        const other = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "other", status: "active" });
        return { spec: { communityId: c.id, billingAccountId: w.account.id }, patch: { billingAccountId: other.id } };
    }],
    ["CommunityMember", "CommunityMember", (_p, w) => ({
        spec: { communityId: w.community.id, subject: "userAccount:bob", role: "viewer" },
        patch: { role: "editor" },
    })],
    ["Project", "Project", (_p, w) => ({
        spec: { communityId: w.community.id, name: "p2", settings: { ide: "JUPYTER_LAB", staleExecTimeoutMode: "ONE_HOUR", securityGroupIds: ["sg1"] }, limits: { maxUnitsPerHour: 10 }, unitBalance: 5 },
        patch: { name: "p2-renamed", limits: { maxUnitsPerExecution: 3 }, unitBalance: 0 },
    })],
    ["ProjectMember", "ProjectMember", (_p, w) => ({
        spec: { projectId: w.project.id, subject: "group:ml", role: "developer" },
        patch: { role: "admin" },
    })],
    ["Dataset", "Dataset", (_p, w) => ({
        spec: { projectId: w.project.id, name: "train", sizeGb: 10, labels: { kind: "images" } },
        patch: { description: "ImageNet subset", activated: false, labels: { kind: "images", size: "small" } },
    })],
    ["Secret", "Secret", (_p, w) => ({
        spec: { projectId: w.project.id, name: "token", value: "first-value" },
        patch: { value: "second-value" },
    })],
    ["DockerImage", "DockerImage", (_p, w) => ({
        spec: { projectId: w.project.id, name: "img", image: "cr.example.net/team/img:1.0", registryUsername: "robot", registryPassword: "pw" },
        patch: { image: "cr.example.net/team/img:2.0", registryPassword: null },
        after: (o) => expect(Object.keys(o.secretDigests)).toEqual(["registryUsername"]),
    })],
    ["S3Connector", "S3Connector", (_p, w) => ({
        spec: { projectId: w.project.id, name: "s3", bucket: "ml-data", endpoint: "https://storage.example.net", mountMode: "READ_ONLY", accessKeyId: "AK", secretAccessKey: "SK" },
        patch: { mountMode: "READ_WRITE", secretAccessKey: "SK2" },
    })],
    ["Node running an image", "Node", (_p, w) => ({
        spec: { projectId: w.project.id, name: "srv", image: "cr.example.net/a/srv:1", instanceSpec: { cpu: 2, memoryGb: 4, gpu: 1 }, replicas: 2 },
        patch: { replicas: 3, instanceZone: "ru-central1-b" },
    })],
    ["Node serving a model", "Node", (p, w) => {
        const m1 = p.owner.create("Model", { projectId: w.project.id, name: "m1" });
        const m2 = p.owner.create("Model", { projectId: w.project.id, name: "m2" });
        return {
            spec: { projectId: w.project.id, name: "srv", modelId: m1.id, instanceSpec: { cpu: 1, memoryGb: 1 } },
            patch: { modelId: m2.id },
            after: () => {
                // The reference moved with the update: the old model is free, the new one is in use.
                p.owner.delete("Model", m1.id);
                expect(expectError(() => p.owner.delete("Model", m2.id)).message).toMatch(/Model "m2" cannot be deleted while it is used by Node "srv"/);
            },
        };
    }],
    ["Alias", "Alias", (p, w) => {
        const a = node(p, w, "n-a");
        const b = node(p, w, "n-b");
        return {
            spec: { projectId: w.project.id, name: "svc", nodes: [{ nodeId: a.id, weight: 100 }] },
            patch: { nodes: [{ nodeId: a.id, weight: 50 }, { nodeId: b.id, weight: 50 }] },
            after: () => expect(expectError(() => p.owner.delete("Node", b.id)).message).toMatch(/used by Alias "svc"/),
        };
    }],
    ["DataProcTemplate", "DataProcTemplate", (_p, w) => ({
        spec: { projectId: w.project.id, name: "dp", cluster },
        patch: { cluster: { ...cluster, computeHosts: 4 } },
    })],
    ["Model", "Model", (_p, w) => ({
        spec: { projectId: w.project.id, name: "resnet", framework: "pytorch" },
        patch: { sourceUri: "s3://models/resnet", framework: "onnx" },
    })],
    ["SparkConnector to an existing cluster", "SparkConnector", (_p, w) => ({
        spec: { projectId: w.project.id, name: "spark", cluster: { type: "existing", clusterId: "c9qabc" } },
        patch: { cluster: { type: "temporary", spec: cluster } },
    })],
    ["SparkConnector with a temporary cluster", "SparkConnector", (_p, w) => ({
        spec: { projectId: w.project.id, name: "spark", cluster: { type: "temporary", spec: cluster } },
        patch: { cluster: { type: "existing", clusterId: "c9qabc" } },
    })],
    ["Checkpoint", "Checkpoint", (p, w) => ({
        spec: { projectId: w.project.id, name: "ckpt", sourceUri: "s3://ckpt/1" },
        patch: { notebookPath: "main.ipynb" },
        after: (o) => expect(p.service.listVersions(OWNER, o.id).map((v) => v.version)).toEqual([1, 2]),
    })],
    ["Share", "Share", (p, w) => {
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "shared", sizeGb: 1 });
        const spec = { resourceId: ds.id, resourceKind: "Dataset", communityId: w.defaultCommunityId };
        return { spec, patch: { ...spec } }; // every field of a share is immutable: an update can only repeat them
    }],
    ["SharedResourceUse", "SharedResourceUse", (p, w) => {
        const serving = p.owner.create("Project", { communityId: w.community.id, name: "serving" });
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "shared", sizeGb: 1 });
        const share = p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id });
        const spec = { projectId: serving.id, shareId: share.id };
        return { spec, patch: { ...spec } }; // every field of a use is immutable too
    }],
];

describe("every kind: create, read, update, delete", () => {
    it("has a case for every kind", () => {
        expect([...new Set(CASES.map((c) => c[1]))].sort()).toEqual([...KIND_NAMES].sort());
    });

    it.each(CASES)("%s", (_label, kind, arrange) => {
        const p = platform();
        const w = world(p);
        const { spec, patch, after } = arrange(p, w);
        const before = p.count();

        const made = p.owner.create(kind, spec);
        expect(made).toMatchObject({ kind, version: 1, createdBy: OWNER, system: false, spec: withoutSecrets(kind, spec) });
        expect(made.id).toMatch(ID_PATTERN);
        expect(made.id.startsWith(KINDS[kind].idPrefix)).toBe(true);
        expect(Object.keys(made.secretDigests).sort()).toEqual(KINDS[kind].secrets.filter((s) => s in spec).sort());
        expect(p.owner.get(kind, made.id)).toEqual(made);
        const parent = KINDS[kind].parent;
        if (parent) {
            expect(made.parentId).toBe(spec[parent.field]);
            expect(p.owner.list(kind, { parentId: made.parentId }).items.map((o) => o.id)).toContain(made.id);
        }

        const updated = p.owner.update(kind, made.id, patch, 1);
        expect(updated).toMatchObject({ id: made.id, version: 2, createdAt: made.createdAt, spec: withoutSecrets(kind, patch) });
        expect(p.owner.get(kind, made.id)).toEqual(updated);
        for (const s of KINDS[kind].secrets.filter((s) => typeof patch[s] === "string")) {
            expect(updated.secretDigests[s]).not.toBe(made.secretDigests[s]); // a rotated secret shows as a new digest
        }
        after?.(updated, p);

        if (kind === "BillingLink") {
            // A link is never removed on its own: it goes with its community.
            expect(expectRefused(p, () => p.owner.delete(kind, made.id)).code).toBe("FAILED_PRECONDITION");
            p.owner.delete("Community", String(made.parentId));
        } else {
            p.owner.delete(kind, made.id);
        }
        expect(expectError(() => p.owner.get(kind, made.id)).code).toBe("NOT_FOUND");
        // Helpers made by the arrangement stay (nodes for aliases, models for nodes), except a link's community.
        if (kind === "BillingLink") expect(p.count()).toBe(before - 1);
        else if (kind !== "Node" && kind !== "Alias") expect(p.count()).toBe(before);
    });

    it("lists every version of a checkpoint after each update", () => {
        const p = platform();
        const w = world(p);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:dev", role: "developer" });
        const c = p.owner.create("Checkpoint", { projectId: w.project.id, name: "ckpt", sourceUri: "s3://c/1" });
        const versions = () => p.service.listVersions(OWNER, c.id).map((v) => [v.version, v.spec.sourceUri, v.spec.notebookPath, v.createdBy]);
        expect(versions()).toEqual([[1, "s3://c/1", undefined, OWNER]]);
        p.owner.update("Checkpoint", c.id, { sourceUri: "s3://c/2" });
        expect(versions()).toEqual([[1, "s3://c/1", undefined, OWNER], [2, "s3://c/2", undefined, OWNER]]);
        p.as("userAccount:dev").update("Checkpoint", c.id, { notebookPath: "a.ipynb" });
        expect(versions()).toEqual([[1, "s3://c/1", undefined, OWNER], [2, "s3://c/2", undefined, OWNER], [3, "s3://c/2", "a.ipynb", "userAccount:dev"]]);
        // A refused update makes no version.
        expectRefused(p, () => p.owner.update("Checkpoint", c.id, { sourceUri: "ftp://x" }));
        expect(versions()).toHaveLength(3);
        expect(p.owner.get("Checkpoint", c.id).version).toBe(3);
        // Only checkpoints have versions.
        expect(expectError(() => p.service.listVersions(OWNER, w.project.id)).code).toBe("NOT_FOUND");
    });

    it("clears optional fields set to null and keeps the rest", () => {
        const p = platform();
        const w = world(p);
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 3, description: "x", labels: { a: "b" } });
        const updated = p.owner.update("Dataset", ds.id, { description: null });
        expect(updated.spec).toEqual({ projectId: w.project.id, name: "d", sizeGb: 3, labels: { a: "b" } });
        expect(expectRefused(p, () => p.owner.update("Dataset", ds.id, { name: null })).message).toMatch(/name is required/);
    });

    it("lets an activated dataset go once it is deactivated", () => {
        const p = platform();
        const w = world(p);
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 3, activated: true });
        expectRefused(p, () => p.owner.delete("Dataset", ds.id));
        p.owner.update("Dataset", ds.id, { activated: false });
        p.owner.delete("Dataset", ds.id);
        expect(p.owner.list("Dataset").items).toEqual([]);
    });
});

describe("organizations and their default community", () => {
    it("creates the default community with the organization, in its zone, owned by its creator", () => {
        const p = platform();
        const org = p.owner.create("Organization", { name: "globex", displayName: "Globex", defaultZone: "ru-central1-b" });
        const def = p.owner.get("Community", org.extra.defaultCommunityId as string);
        expect(org.extra.defaultCommunityName).toBe("Globex Team");
        expect(def).toMatchObject({ system: true, zone: "ru-central1-b", organizationId: org.id, parentId: org.id, spec: { name: "Globex Team", zone: "ru-central1-b" } });
        expect(p.db.prepare("SELECT subject, role FROM organization_roles WHERE organization_id = ?").all(org.id)).toEqual([{ subject: OWNER, role: "owner" }]);
    });

    it("renames the default community with the display name, and only that way", () => {
        const p = platform();
        const w = world(p);
        p.owner.update("Organization", w.org.id, { displayName: "Acme Corp" });
        expect(p.owner.get("Community", w.defaultCommunityId).spec.name).toBe("Acme Corp Team");
        expect(expectRefused(p, () => p.owner.update("Community", w.defaultCommunityId, { name: "renamed" }))).toMatchObject({
            code: "FAILED_PRECONDITION", message: expect.stringMatching(/is a default community: its name follows the organization's displayName/),
        });
        // Users cannot take a team name: community names have no spaces.
        expect(expectRefused(p, () => p.owner.create("Community", { organizationId: w.org.id, name: "Other Team", zone: "ru-central1-a" })).code).toBe("INVALID_ARGUMENT");
    });

    it("lets the default community's description and labels change", () => {
        const p = platform();
        const w = world(p);
        const updated = p.owner.update("Community", w.defaultCommunityId, { description: "Everyone at Acme", labels: { team: "all" } });
        expect(updated.spec).toMatchObject({ name: "ACME Team", description: "Everyone at Acme", labels: { team: "all" } });
        // Even when "<displayName> Team" is longer than a user-chosen name may be.
        const long = p.owner.create("Organization", { name: "long", displayName: "L".repeat(63), defaultZone: "ru-central1-a" });
        expect(p.owner.update("Community", String(long.extra.defaultCommunityId), { description: "d" }).spec.name).toBe(`${"L".repeat(63)} Team`);
        // A rename is still refused.
        expect(expectRefused(p, () => p.owner.update("Community", w.defaultCommunityId, { name: "Other Team" })).code).toBe("INVALID_ARGUMENT");
    });

    it("removes the default community, its members and link, and the roles with the organization", () => {
        const p = platform();
        const org = p.owner.create("Organization", { name: "o", displayName: "O", defaultZone: "ru-central1-a", members: ["userAccount:m"] });
        const acc = p.owner.create("BillingAccount", { organizationId: org.id, name: "b", status: "active" });
        const def = org.extra.defaultCommunityId as string;
        p.owner.create("BillingLink", { communityId: def, billingAccountId: acc.id });
        p.owner.create("CommunityMember", { communityId: def, subject: "userAccount:x", role: "admin" });
        expect(expectRefused(p, () => p.owner.delete("Organization", org.id)).message).toMatch(/contains 1 object \(BillingAccount "b"\)/);
        p.owner.delete("BillingAccount", acc.id);
        p.owner.delete("Organization", org.id);
        expect(p.count()).toBe(0);
        expect(p.db.prepare("SELECT count(*) AS n FROM organization_roles").get()).toEqual({ n: 0 });
        expect(p.db.prepare("SELECT count(*) AS n FROM refs").get()).toEqual({ n: 0 });
    });

    it("refuses to delete an organization whose default community holds projects", () => {
        const p = platform();
        const w = world(p);
        p.owner.create("BillingLink", { communityId: w.defaultCommunityId, billingAccountId: w.account.id });
        p.owner.create("Project", { communityId: w.defaultCommunityId, name: "in-default" });
        p.owner.delete("Project", w.project.id);
        p.owner.delete("Community", w.community.id);
        const e = expectRefused(p, () => p.owner.delete("Organization", w.org.id));
        expect(e.message).toMatch(/^Organization "acme" cannot be deleted: Community "ACME Team" cannot be deleted while it contains 1 object \(Project "in-default"\)/);
    });
});

describe("deletion is blocked, never cascaded", () => {
    const cases: [string, (p: Platform, w: World) => [KindName, string], RegExp][] = [
        ["community with projects", (_p, w) => ["Community", w.community.id],
            /^Community "acme-research" cannot be deleted while it contains 1 object \(Project "training"\)\. Delete them first/],
        ["community with shares into it", (p, w) => {
            const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: "v" });
            const target = p.owner.create("Community", { organizationId: w.org.id, name: "target", zone: "ru-central1-a" });
            p.owner.create("Share", { resourceId: s.id, resourceKind: "Secret", communityId: target.id });
            return ["Community", target.id];
        }, /^Community "target" cannot be deleted while resources are shared into it \(1 share: Share "tok -> target"\)\. Delete the shares first\.$/],
        ["project with resources", (p, w) => {
            p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1 });
            p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:x", role: "viewer" });
            return ["Project", w.project.id];
        }, /^Project "training" cannot be deleted while it contains 1 object \(Dataset "ds"\)/],
        ["shared dataset", (p, w) => {
            const d = p.owner.create("Dataset", { projectId: w.project.id, name: "train", sizeGb: 1 });
            p.owner.create("Share", { resourceId: d.id, resourceKind: "Dataset", communityId: w.defaultCommunityId });
            return ["Dataset", d.id];
        }, /^Dataset "train" cannot be deleted while it is shared \(1 share: Share "train -> ACME Team"\)\. Delete the shares first\.$/],
        ["shared S3 connector", (p, w) => {
            const s3 = p.owner.create("S3Connector", { projectId: w.project.id, name: "s3", bucket: "abc", accessKeyId: "a", secretAccessKey: "b" });
            p.owner.create("Share", { resourceId: s3.id, resourceKind: "S3Connector", communityId: w.defaultCommunityId });
            return ["S3Connector", s3.id];
        }, /^S3Connector "s3" cannot be deleted while it is shared/],
        ["activated dataset", (p, w) => ["Dataset", p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1, activated: true }).id],
            /^Dataset "ds" cannot be deleted while it is activated\. Set activated to false first\.$/],
        ["node used by an alias", (p, w) => {
            const n = node(p, w, "n");
            p.owner.create("Alias", { projectId: w.project.id, name: "al", nodes: [{ nodeId: n.id, weight: 1 }] });
            return ["Node", n.id];
        }, /^Node "n" cannot be deleted while it is used by Alias "al"\. Remove those references first\.$/],
        ["model served by a node", (p, w) => {
            const m = p.owner.create("Model", { projectId: w.project.id, name: "m" });
            node(p, w, "n", { image: undefined, modelId: m.id });
            return ["Model", m.id];
        }, /^Model "m" cannot be deleted while it is used by Node "n"/],
        ["billing account used by a link of a community with projects", (_p, w) => ["BillingAccount", w.account.id],
            /^BillingAccount "main" cannot be deleted while it is used by BillingLink "billing link of community "acme-research""/],
        ["billing link", (_p, w) => ["BillingLink", w.link.id],
            /cannot be removed: a community's billing link can only be pointed at another active billing account/],
        ["default community", (_p, w) => ["Community", w.defaultCommunityId],
            /^Community "ACME Team" is its organization's default community and cannot be deleted\. It is removed together with the organization\.$/],
        ["organization with communities", (_p, w) => ["Organization", w.org.id],
            /^Organization "acme" cannot be deleted while it contains 2 objects \(BillingAccount "main", Community "acme-research"\)/],
    ];

    it.each(cases)("%s", (_label, arrange, message) => {
        const p = platform();
        const w = world(p);
        const [kind, id] = arrange(p, w);
        const e = expectRefused(p, () => p.owner.delete(kind, id));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(message);
        expect(p.owner.get(kind, id).id).toBe(id);
    });

    it("deletes a billing account whose linked communities hold no projects, unlinking them", () => {
        const p = platform();
        const w = world(p);
        const spare = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "spare", status: "active" });
        const idle = p.owner.create("Community", { organizationId: w.org.id, name: "idle", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: idle.id, billingAccountId: spare.id });
        p.owner.delete("BillingAccount", spare.id);
        expect(p.owner.list("BillingLink", { parentId: idle.id }).items).toEqual([]);
        expect(expectError(() => p.owner.create("Project", { communityId: idle.id, name: "p" })).message).toMatch(/has no active billing account linked/);
    });

    it("removes memberships and the billing link with their community, nothing else", () => {
        const p = platform();
        const w = world(p);
        const c = p.owner.create("Community", { organizationId: w.org.id, name: "c", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: c.id, billingAccountId: w.account.id });
        p.owner.create("CommunityMember", { communityId: c.id, subject: "userAccount:x", role: "viewer" });
        const before = p.count();
        p.owner.delete("Community", c.id);
        expect(p.count()).toBe(before - 3);
        expect(p.owner.get("BillingAccount", w.account.id).id).toBe(w.account.id);
    });
});

describe("billing", () => {
    it("a project needs an active billing link", () => {
        const p = platform();
        const w = world(p);
        const bare = p.owner.create("Community", { organizationId: w.org.id, name: "bare", zone: "ru-central1-a" });
        expect(expectRefused(p, () => p.owner.create("Project", { communityId: bare.id, name: "p" }))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: 'Project "p": community "bare" has no active billing account linked. Create the community with an active billingAccount, or link one with a BillingLink, before creating projects in it.',
        });
        p.owner.update("BillingAccount", w.account.id, { status: "suspended" });
        expect(expectRefused(p, () => p.owner.create("Project", { communityId: w.community.id, name: "p2" })).message)
            .toMatch(/community "acme-research" has no active billing account linked \(billing account "main" is suspended\)/);
        // Existing projects are not touched by the suspension, and can still be edited.
        expect(p.owner.update("Project", w.project.id, { description: "still here" }).version).toBe(2);
    });

    it("refuses a link to a suspended account, on create and on update", () => {
        const p = platform();
        const w = world(p);
        const bare = p.owner.create("Community", { organizationId: w.org.id, name: "bare", zone: "ru-central1-a" });
        const frozen = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "frozen", status: "suspended" });
        expect(expectRefused(p, () => p.owner.create("BillingLink", { communityId: bare.id, billingAccountId: frozen.id }))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: expect.stringMatching(/billingAccountId points at billing account "frozen", which is suspended\. Link an active billing account\./),
        });
        expect(expectRefused(p, () => p.owner.update("BillingLink", w.link.id, { billingAccountId: frozen.id })).message).toMatch(/"frozen", which is suspended/);
    });

    it("re-points a link, one per community, never to another organization's account", () => {
        const p = platform();
        const w = world(p);
        const other = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "second", status: "active" });
        expect(p.owner.update("BillingLink", w.link.id, { billingAccountId: other.id }).spec.billingAccountId).toBe(other.id);
        expect(expectRefused(p, () => p.owner.create("BillingLink", { communityId: w.community.id, billingAccountId: other.id })))
            .toMatchObject({ code: "ALREADY_EXISTS", message: expect.stringMatching(/change its billingAccountId instead/) });
        const foreign = world(p, "globex");
        expect(expectRefused(p, () => p.owner.update("BillingLink", w.link.id, { billingAccountId: foreign.account.id })).message)
            .toMatch(/belongs to organization "globex" but community "acme-research" to "acme"/);
    });
});

describe("a community's own billing account", () => {
    /** The world's organization, its account, and a community billed by that account from its creation. */
    function billed(p: Platform) {
        const w = world(p);
        const community = p.owner.create("Community", { organizationId: w.org.id, name: "billed", zone: "ru-central1-a", billingAccountId: w.account.id });
        return { ...w, billed: community };
    }

    it("bills the community's projects without a BillingLink, and is read back", () => {
        const p = platform();
        const w = billed(p);
        expect(p.owner.get("Community", w.billed.id).spec.billingAccountId).toBe(w.account.id);
        expect(p.owner.create("Project", { communityId: w.billed.id, name: "p" }).parentId).toBe(w.billed.id);
        expect(p.owner.list("BillingLink", { parentId: w.billed.id }).items).toEqual([]);
        // A suspended account bills no new project, as with a link.
        p.owner.update("BillingAccount", w.account.id, { status: "suspended" });
        expect(expectRefused(p, () => p.owner.create("Project", { communityId: w.billed.id, name: "q" })).message)
            .toBe('Project "q": community "billed" has no active billing account linked (billing account "main" is suspended). Create the community with an active billingAccount, or link one with a BillingLink, before creating projects in it.');
        // Edits that leave the account as it is are not refused for its suspension.
        expect(p.owner.update("Community", w.billed.id, { description: "still billed" }).version).toBe(2);
    });

    it("is checked as a link's account is: existing, of the community's organization, active", () => {
        const p = platform();
        const w = world(p);
        const frozen = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "frozen", status: "suspended" });
        const foreign = world(p, "globex");
        const community = (billingAccountId: string, name = "c") => () => p.owner.create("Community", { organizationId: w.org.id, name, zone: "ru-central1-a", billingAccountId });
        expect(expectRefused(p, community(frozen.id))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: 'Community "c": billingAccountId points at billing account "frozen", which is suspended. Link an active billing account.',
        });
        expect(expectRefused(p, community(foreign.account.id))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: 'Community "c": billing account "main" belongs to organization "globex" but community "c" to "acme". Link an account of the community\'s organization.',
        });
        expect(expectRefused(p, community("blazzzzzzzzzzzzzzzzz"))).toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/^Community "c": billingAccountId points at blazzzzzzzzzzzzzzzzz, which is not an existing BillingAccount/) });
        // Re-pointing is checked the same way.
        const c = p.owner.create("Community", { organizationId: w.org.id, name: "ok", zone: "ru-central1-a", billingAccountId: w.account.id });
        expect(expectRefused(p, () => p.owner.update("Community", c.id, { billingAccountId: frozen.id })).message).toMatch(/"frozen", which is suspended/);
        expect(expectRefused(p, () => p.owner.update("Community", c.id, { billingAccountId: foreign.account.id })).message).toMatch(/belongs to organization "globex"/);
    });

    it("is either the community's own account or a BillingLink, never both, and is never removed", () => {
        const p = platform();
        const w = billed(p);
        expect(expectRefused(p, () => p.owner.create("BillingLink", { communityId: w.billed.id, billingAccountId: w.account.id }))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: `BillingLink "billing link of ${w.billed.id}": community "billed" is billed by its own billingAccount (billing account "main"), got a BillingLink as well. `
                + "A community is billed either by its own billingAccount or by a BillingLink, never both: remove this BillingLink, and change the community's billingAccount to re-point its billing.",
        });
        // w.community is billed by its link (world()).
        expect(expectRefused(p, () => p.owner.update("Community", w.community.id, { billingAccountId: w.account.id }))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: `Community "acme-research": billingAccountId cannot be set, got ${w.account.id}: the community is billed by its BillingLink (billing account "main"). `
                + "A community is billed either by its own billingAccount or by a BillingLink, never both: remove billingAccount from the community, and re-point the BillingLink by changing its billingAccount instead.",
        });
        expect(expectRefused(p, () => p.owner.update("Community", w.billed.id, { billingAccountId: null }))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: expect.stringMatching(/^Community "billed": billingAccountId cannot be removed, got none for billing account "main"\. A community's billing account is re-pointed, never removed/),
        });
    });

    it("blocks its account's deletion, however empty the community, and never goes with it; links of empty communities do", () => {
        const p = platform();
        const w = billed(p);
        const spare = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "spare", status: "active" });
        const linked = p.owner.create("Community", { organizationId: w.org.id, name: "linked", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: linked.id, billingAccountId: spare.id });
        const own = p.owner.create("Community", { organizationId: w.org.id, name: "own", zone: "ru-central1-a", billingAccountId: spare.id });
        expect(expectRefused(p, () => p.owner.delete("BillingAccount", spare.id))).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: 'BillingAccount "spare" cannot be deleted while it is used by Community "own". Remove those references first.',
        });
        // Re-pointed, the community frees the account; the account then goes, with the link of the empty community only.
        p.owner.update("Community", own.id, { billingAccountId: w.account.id });
        const before = p.count();
        p.owner.delete("BillingAccount", spare.id);
        expect(p.count()).toBe(before - 2);
        expect(p.owner.list("BillingLink", { parentId: linked.id }).items).toEqual([]);
        expect(p.owner.get("Community", own.id).spec.billingAccountId).toBe(w.account.id);
        expect(p.owner.get("Community", linked.id).id).toBe(linked.id);
        // Deleting a community lets its account go: the reference goes with the community.
        p.owner.delete("Community", w.billed.id);
        p.owner.delete("Community", own.id);
        expect(expectRefused(p, () => p.owner.delete("BillingAccount", w.account.id)).message).toMatch(/used by BillingLink "billing link of community "acme-research""/);
    });
});

describe("sharing at apply time", () => {
    it.each(["Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias"] as const)("shares a %s into a community of its zone and organization", (kind) => {
        const p = platform();
        const w = world(p);
        const n = node(p, w, "n");
        const specs: Record<string, Record<string, unknown>> = {
            Dataset: { sizeGb: 1 }, Secret: { value: "v" }, DockerImage: { image: "a/b:1" },
            S3Connector: { bucket: "abc", accessKeyId: "a", secretAccessKey: "b" }, Node: { image: "a/b:1", instanceSpec: { cpu: 1, memoryGb: 1 } },
            Alias: { nodes: [{ nodeId: n.id, weight: 1 }] },
        };
        const resource = p.owner.create(kind, { projectId: w.project.id, name: "res", ...specs[kind] });
        const share = p.owner.create("Share", { resourceId: resource.id, resourceKind: kind, communityId: w.defaultCommunityId });
        expect(share).toMatchObject({ parentId: resource.id, zone: "ru-central1-a", organizationId: w.org.id });
        expect(share.context).toEqual({
            resourceName: "res", resourceZone: "ru-central1-a", resourceOrganization: "acme",
            communityName: "ACME Team", communityZone: "ru-central1-a", communityOrganization: "acme",
        });
    });

    it("refuses another zone and another organization, naming both sides", () => {
        const p = platform();
        const a = world(p, "acme", "ru-central1-a");
        const ds = p.owner.create("Dataset", { projectId: a.project.id, name: "train", sizeGb: 1 });
        const east = p.owner.create("Community", { organizationId: a.org.id, name: "east", zone: "ru-central1-b" });
        const b = world(p, "globex", "ru-central1-a");
        const zone = expectRefused(p, () => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: east.id }));
        expect(zone).toMatchObject({ code: "FAILED_PRECONDITION", failures: [{ property: "community" }] });
        expect(zone.message).toMatch(/Dataset "train" in zone ru-central1-a into community "east" in zone ru-central1-b/);
        const org = expectRefused(p, () => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: b.community.id }));
        expect(org).toMatchObject({ code: "FAILED_PRECONDITION", failures: [{ property: "community" }] });
        expect(org.message).toMatch(/Dataset "train" of organization "acme" into community "globex-research" of organization "globex"/);
    });

    it("refuses a share whose kind does not match its resource, a duplicate, and kinds the platform cannot share", () => {
        const p = platform();
        const w = world(p);
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "train", sizeGb: 1 });
        expect(expectRefused(p, () => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Secret", communityId: w.community.id }))).toMatchObject({
            code: "INVALID_ARGUMENT", message: `Share: resourceKind is Secret but resourceId ${ds.id} is a Dataset. Pass the resource itself.`,
        });
        expect(expectRefused(p, () => p.owner.create("Share", { resourceId: w.project.id, resourceKind: "Dataset", communityId: w.community.id }))).toMatchObject({
            code: "NOT_FOUND", message: expect.stringMatching(/resourceId "prj\w+" is not an existing Dataset or Secret or DockerImage or S3Connector or Node or Alias/),
        });
        p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id });
        expect(expectRefused(p, () => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id })).code).toBe("ALREADY_EXISTS");
        const m = p.owner.create("Model", { projectId: w.project.id, name: "m" });
        expect(expectRefused(p, () => p.owner.create("Share", { resourceId: m.id, resourceKind: "Model", communityId: w.community.id })).message)
            .toMatch(/resourceKind must be one of Dataset, Secret, DockerImage, S3Connector, Node, Alias, got "Model"/);
    });
});

describe("idempotent retries", () => {
    it("returns the first object for a retried create with the same key and request", () => {
        const p = platform();
        const w = world(p);
        const spec = { projectId: w.project.id, name: "ds", sizeGb: 1 };
        const a = p.owner.create("Dataset", spec, { idempotencyKey: "k1" });
        const snapshot = p.snapshot();
        const b = p.owner.create("Dataset", { ...spec }, { idempotencyKey: "k1" });
        expect(b).toEqual(a);
        expect(p.snapshot()).toEqual(snapshot);
    });

    it("refuses the same key for a different request, changing nothing", () => {
        const p = platform();
        const w = world(p);
        const spec = { projectId: w.project.id, name: "ds", sizeGb: 1 };
        p.owner.create("Dataset", spec, { idempotencyKey: "k1" });
        expect(expectRefused(p, () => p.owner.create("Dataset", { ...spec, sizeGb: 2 }, { idempotencyKey: "k1" }))).toMatchObject({
            code: "INVALID_ARGUMENT",
            message: 'idempotency key "k1" was already used for a different request. Use a new key for a new request.',
        });
        expect(expectRefused(p, () => p.owner.create("Secret", { projectId: w.project.id, name: "ds", value: "v" }, { idempotencyKey: "k1" })).code).toBe("INVALID_ARGUMENT");
    });

    it("keeps keys per principal, and frees a key whose object was deleted", () => {
        const p = platform();
        const w = world(p);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:dev", role: "developer" });
        const a = p.owner.create("Dataset", { projectId: w.project.id, name: "a", sizeGb: 1 }, { idempotencyKey: "k" });
        const b = p.as("userAccount:dev").create("Dataset", { projectId: w.project.id, name: "b", sizeGb: 1 }, { idempotencyKey: "k" });
        expect(b.id).not.toBe(a.id);
        p.owner.delete("Dataset", a.id);
        const again = p.owner.create("Dataset", { projectId: w.project.id, name: "a", sizeGb: 2 }, { idempotencyKey: "k" });
        expect(again.id).not.toBe(a.id);
        expect(again.spec.sizeGb).toBe(2);
    });

    it("forgets keys after a day", () => {
        const p = platform();
        const w = world(p);
        let now = Date.parse("2030-01-01T00:00:00Z");
        const clocked = new ControlPlaneService(p.db, new SecretBox(p.key), () => new Date(now));
        const create = (name: string) => clocked.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name, sizeGb: 1 }, idempotencyKey: "k" });
        const first = create("a");
        now += 23 * 3600_000;
        expect(create("a").id).toBe(first.id);
        expect(expectRefused(p, () => create("b")).code).toBe("INVALID_ARGUMENT");
        now += 2 * 3600_000; // 25 hours after the first use
        const second = create("b");
        expect(second.id).not.toBe(first.id);
        expect(p.db.prepare("SELECT object_id FROM idempotency_keys").all()).toEqual([{ object_id: second.id }]);
    });

    it("deletes expired keys at most once a minute, and ignores an expired key still stored", () => {
        const p = platform();
        const w = world(p);
        const start = Date.parse("2030-01-01T00:00:00Z");
        let now = start;
        const clocked = new ControlPlaneService(p.db, new SecretBox(p.key), () => new Date(now));
        const create = (name: string, key: string) => clocked.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name, sizeGb: 1 }, idempotencyKey: key });
        const keys = () => (p.db.prepare("SELECT key FROM idempotency_keys ORDER BY key").all() as { key: string }[]).map((r) => r.key);
        create("a", "k1");
        now = start + 24 * 3600_000 - 30_000; // expiry runs; k1 is not a day old yet
        create("b", "k2");
        now = start + 24 * 3600_000 + 10_000; // k1 is past its day, but expiry ran 40 seconds ago
        create("c", "k3");
        expect(keys()).toEqual(["k1", "k2", "k3"]);
        // Stored but expired: the key is free for a new request.
        expect(create("d", "k1").spec.name).toBe("d");
        now += 60_000;
        create("e", "k4");
        expect(keys()).toEqual(["k1", "k2", "k3", "k4"]); // k1 now belongs to "d", made 70 seconds ago
        now = start + 49 * 3600_000; // a day after the last of them
        create("f", "k5");
        expect(keys()).toEqual(["k5"]);
    });

    it("adopts an identical object and explains why a different one is not adopted", () => {
        const p = platform();
        const w = world(p);
        const a = p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 1 });
        expect(p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 1 }, { adoptIdentical: true })).toEqual(a);
        expect(expectRefused(p, () => p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 2 }, { adoptIdentical: true })).message)
            .toMatch(/It differs in sizeGb \(stored 1, requested 2\), so it was not adopted/);
    });
});

describe("concurrent edits and immutable fields", () => {
    it("fails a conflicting write with ABORTED, naming both versions, and keeps the other write", () => {
        const p = platform();
        const w = world(p);
        p.owner.update("Project", w.project.id, { description: "by someone else" }, 1);
        const e = expectRefused(p, () => p.owner.update("Project", w.project.id, { description: "mine" }, 1));
        expect(e).toMatchObject({
            code: "ABORTED",
            message: 'Project "training" was changed by someone else: you read version 1, it is now at version 2. Refresh (pulumi refresh) and apply again.',
        });
        expect(p.owner.get("Project", w.project.id).spec.description).toBe("by someone else");
        expect(p.owner.update("Project", w.project.id, { description: "mine" }, 2).version).toBe(3);
    });

    it.each([
        ["Community", "zone", "ru-central1-b"],
        ["Community", "organizationId", "orgbbbbbbbbbbbbbbbbb"],
        ["Project", "communityId", "combbbbbbbbbbbbbbbbb"],
        ["Dataset", "sizeGb", 20],
        ["Dataset", "projectId", "prjbbbbbbbbbbbbbbbbb"],
        ["Organization", "name", "acme-2"],
        ["Organization", "defaultZone", "ru-central1-d"],
        ["CommunityMember", "subject", "userAccount:other"],
        ["Share", "communityId", "combbbbbbbbbbbbbbbbb"],
        ["BillingAccount", "organizationId", "orgbbbbbbbbbbbbbbbbb"],
    ] as const)("refuses to change %s.%s", (kind, field, value) => {
        const p = platform();
        const w = world(p);
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 10 });
        const ids: Record<string, string> = {
            Community: w.community.id, Project: w.project.id, Dataset: ds.id, Organization: w.org.id, BillingAccount: w.account.id,
            CommunityMember: p.owner.create("CommunityMember", { communityId: w.community.id, subject: "userAccount:m", role: "viewer" }).id,
            Share: p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id }).id,
        };
        const stored = p.owner.get(kind, ids[kind]).spec[field];
        const e = expectRefused(p, () => p.owner.update(kind, ids[kind], { [field]: value }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toContain(`: ${field} can never change (stored ${JSON.stringify(stored)}, requested ${JSON.stringify(value)}). Create a new ${kind} instead`);
        // Repeating the stored value is no change and is accepted.
        expect(p.owner.update(kind, ids[kind], { [field]: stored }).version).toBe(2);
    });
});

describe("unique names", () => {
    it.each([
        ["Organization", (_p: Platform, _w: World) => ({ name: "acme", displayName: "Again", defaultZone: "ru-central1-a" }), /^a Organization named "acme" already exists \(id org\w+\)/],
        ["Community", (_p: Platform, w: World) => ({ organizationId: w.org.id, name: "acme-research", zone: "ru-central1-b" }), /^a Community named "acme-research" already exists in organization "acme"/],
        ["Project", (_p: Platform, w: World) => ({ communityId: w.community.id, name: "training" }), /^a Project named "training" already exists in community "acme-research"/],
        ["BillingAccount", (_p: Platform, w: World) => ({ organizationId: w.org.id, name: "main", status: "active" }), /^a BillingAccount named "main" already exists/],
        ["Dataset", (p: Platform, w: World) => {
            p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 1 });
            return { projectId: w.project.id, name: "d", sizeGb: 5 };
        }, /^a Dataset named "d" already exists in project "training" \(id dts\w+\)\. Choose another name/],
        ["CommunityMember", (p: Platform, w: World) => {
            p.owner.create("CommunityMember", { communityId: w.community.id, subject: "userAccount:x", role: "viewer" });
            return { communityId: w.community.id, subject: "userAccount:x", role: "admin" };
        }, /^CommunityMember userAccount:x already exists in community "acme-research".*It exists already; manage the existing one\./],
        ["ProjectMember", (p: Platform, w: World) => {
            p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:x", role: "viewer" });
            return { projectId: w.project.id, subject: "userAccount:x", role: "admin" };
        }, /^ProjectMember userAccount:x already exists in project "training"/],
    ] as const)("refuses a second %s with the same name", (kind, spec, message) => {
        const p = platform();
        const w = world(p);
        const s = spec(p, w);
        const e = expectRefused(p, () => p.owner.create(kind, s));
        expect(e.code).toBe("ALREADY_EXISTS");
        expect(e.message).toMatch(message);
    });

    it("lets the same name live under another parent, and refuses a rename into a clash", () => {
        const p = platform();
        const w = world(p);
        const other = p.owner.create("Community", { organizationId: w.org.id, name: "other", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: other.id, billingAccountId: w.account.id });
        const twin = p.owner.create("Project", { communityId: other.id, name: "training" });
        expect(twin.spec.name).toBe("training");
        const globex = world(p, "globex");
        expect(p.owner.create("Community", { organizationId: globex.org.id, name: "other", zone: "ru-central1-a" }).spec.name).toBe("other");
        expect(expectRefused(p, () => p.owner.update("Community", other.id, { name: "acme-research" })).code).toBe("ALREADY_EXISTS");
        // After a rename the old name is free again.
        p.owner.update("Project", twin.id, { name: "renamed" });
        expect(p.owner.create("Project", { communityId: other.id, name: "training" }).spec.name).toBe("training");
    });
});

describe("lists", () => {
    function pages(p: Platform, kind: KindName, opts: { parentId?: string; pageSize?: number }) {
        const all: string[][] = [];
        let pageToken: string | undefined;
        do {
            const page = p.owner.list(kind, { ...opts, pageToken });
            all.push(page.items.map((o) => String(o.spec.name)));
            pageToken = page.nextPageToken;
        } while (pageToken);
        return all;
    }

    it("pages with pageSize and nextPageToken, every object once", () => {
        const p = platform();
        const w = world(p);
        for (let i = 0; i < 25; i++) p.owner.create("Dataset", { projectId: w.project.id, name: `ds-${i}`, sizeGb: 1 });
        const ten = pages(p, "Dataset", { parentId: w.project.id, pageSize: 10 });
        expect(ten.map((page) => page.length)).toEqual([10, 10, 5]);
        expect(new Set(ten.flat()).size).toBe(25);
        expect(pages(p, "Dataset", { pageSize: 5 }).map((page) => page.length)).toEqual([5, 5, 5, 5, 5]); // no empty last page
        expect(pages(p, "Dataset", { parentId: w.project.id })).toHaveLength(1); // default page of 100
        expect(pages(p, "Dataset", { pageSize: 1000 })[0]).toHaveLength(25);
        expect(pages(p, "Dataset", { pageSize: 1 })).toHaveLength(25);
    });

    it("lists only the parent's children", () => {
        const p = platform();
        const w = world(p);
        const other = p.owner.create("Project", { communityId: w.community.id, name: "other" });
        p.owner.create("Dataset", { projectId: w.project.id, name: "mine", sizeGb: 1 });
        p.owner.create("Dataset", { projectId: other.id, name: "theirs", sizeGb: 1 });
        expect(p.owner.list("Dataset", { parentId: w.project.id }).items.map((o) => o.spec.name)).toEqual(["mine"]);
        expect(p.owner.list("Dataset").items.map((o) => o.spec.name).sort()).toEqual(["mine", "theirs"]);
    });

    it.each([
        [{ pageSize: 1001 }, "pageSize must be a whole number from 1 to 1000, got 1001."],
        [{ pageSize: 0 }, "pageSize must be a whole number from 1 to 1000, got 0."],
        [{ pageSize: -1 }, "pageSize must be a whole number from 1 to 1000, got -1."],
        [{ pageSize: 2.5 }, "pageSize must be a whole number from 1 to 1000, got 2.5."],
        [{ pageToken: "garbage" }, 'pageToken "garbage" is not a token this service issued. Pass nextPageToken from the previous page.'],
        [{ pageToken: Buffer.from("'; DROP TABLE objects; --").toString("base64url") }, "is not a token this service issued"],
    ])("refuses %j", (opts, message) => {
        const p = platform();
        world(p);
        const e = expectError(() => p.owner.list("Dataset", opts));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toContain(message);
        expect(p.count()).toBeGreaterThan(0);
    });
});
