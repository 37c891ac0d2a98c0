// The control plane on a real database file: every kind's lifecycle, blocked deletions, billing, idempotency,
// optimistic concurrency, uniqueness, paging and secrets at rest.
import * as fs from "fs";
import { describe, expect, it } from "vitest";
import { KIND_NAMES, KindName } from "../../provider/model/kinds";
import { expectError, platform, world } from "./support";

const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 };

describe("every kind: create, read, update, delete", () => {
    it("covers all 18 kinds", () => {
        const p = platform();
        const w = world(p);
        const seen = new Set<KindName>(["Organization", "BillingAccount", "Community", "BillingLink", "Project"]);
        const inProject = (kind: KindName, spec: Record<string, unknown>) => {
            seen.add(kind);
            return p.owner.create(kind, { projectId: w.project.id, name: `${kind.toLowerCase()}-1`, ...spec });
        };
        const model = inProject("Model", { framework: "pytorch" });
        const node = inProject("Node", { modelId: model.id, instanceSpec: { cpu: 1, memoryGb: 2 } });
        const made = [
            inProject("Dataset", { sizeGb: 5 }),
            inProject("Secret", { value: "s3cr3t" }),
            inProject("DockerImage", { image: "cr.example.net/a/b:1", registryPassword: "pw" }),
            inProject("S3Connector", { bucket: "data-bucket", accessKeyId: "a", secretAccessKey: "b" }),
            inProject("Alias", { nodes: [{ nodeId: node.id, weight: 10 }] }),
            inProject("DataProcTemplate", { cluster }),
            inProject("SparkConnector", { cluster: { type: "existing", clusterId: "c9q" } }),
            inProject("Checkpoint", { sourceUri: "s3://ckpt/1" }),
        ];
        seen.add("CommunityMember").add("ProjectMember").add("Share");
        const cm = p.owner.create("CommunityMember", { communityId: w.community.id, subject: "userAccount:bob", role: "viewer" });
        const pm = p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:bob", role: "viewer" });
        const share = p.owner.create("Share", { resourceId: made[0].id, resourceKind: "Dataset", communityId: w.defaultCommunityId });
        expect([...seen].sort()).toEqual([...KIND_NAMES].sort());

        for (const o of [...made, model, node, cm, pm, share, w.org, w.account, w.community, w.link, w.project]) {
            const read = p.owner.get(o.kind, o.id);
            expect(read.id).toBe(o.id);
            expect(read.version).toBe(1);
            if (o.kind !== "Organization") expect(read.organizationId).toBe(w.org.id);
            if (!["Organization", "BillingAccount"].includes(o.kind)) expect(read.zone).toBe("ru-central1-a");
        }
        // Updates: one field each, version moves on, secrets never come back.
        expect(p.owner.update("Dataset", made[0].id, { description: "d" }).version).toBe(2);
        const secret = p.owner.update("Secret", made[1].id, { value: "rotated" });
        expect(secret.spec.value).toBeUndefined();
        expect(secret.secretDigests.value).toMatch(/^[0-9a-f]{32}$/);
        expect(p.owner.update("SparkConnector", made[6].id, { cluster: { type: "temporary", spec: cluster } }).spec.cluster).toMatchObject({ type: "temporary" });
        expect(p.owner.update("CommunityMember", cm.id, { role: "admin" }).spec.role).toBe("admin");
        expect(p.owner.update("Community", w.community.id, { labels: { team: "ml" }, description: "x" }).spec).toMatchObject({ labels: { team: "ml" } });
        expect(p.owner.update("Project", w.project.id, { limits: { maxUnitsPerHour: 9 }, unitBalance: 100 }).spec).toMatchObject({ unitBalance: 100 });

        // Deletes in dependency order, then everything but nothing is left.
        p.owner.delete("Share", share.id);
        for (const o of [made[4], ...made.filter((m) => m.kind !== "Alias"), node, model, pm, cm]) p.owner.delete(o.kind, o.id);
        p.owner.delete("Project", w.project.id);
        p.owner.delete("Community", w.community.id);
        p.owner.delete("BillingAccount", w.account.id);
        p.owner.delete("Organization", w.org.id);
        expect(p.count()).toBe(0);
    });

    it("keeps every checkpoint version", () => {
        const p = platform();
        const w = world(p);
        const c = p.owner.create("Checkpoint", { projectId: w.project.id, name: "ckpt", sourceUri: "s3://c/1" });
        p.owner.update("Checkpoint", c.id, { sourceUri: "s3://c/2" });
        p.owner.update("Checkpoint", c.id, { sourceUri: "s3://c/3", notebookPath: "a.ipynb" });
        const versions = p.service.listVersions("userAccount:owner", c.id);
        expect(versions.map((v) => [v.version, v.spec.sourceUri])).toEqual([[1, "s3://c/1"], [2, "s3://c/2"], [3, "s3://c/3"]]);
    });

    it("creates the default community with the organization and renames it with the display name", () => {
        const p = platform();
        const org = p.owner.create("Organization", { name: "globex", displayName: "Globex", defaultZone: "ru-central1-b" });
        const def = p.owner.get("Community", org.extra.defaultCommunityId as string);
        expect(def).toMatchObject({ system: true, zone: "ru-central1-b", spec: { name: "Globex Team" } });
        p.owner.update("Organization", org.id, { displayName: "Globex Corp" });
        expect(p.owner.get("Community", def.id).spec.name).toBe("Globex Corp Team");
        expect(expectError(() => p.owner.update("Community", def.id, { name: "renamed" })).code).toBe("FAILED_PRECONDITION");
    });
});

describe("deletion is blocked, never cascaded", () => {
    const cases: [string, (p: ReturnType<typeof platform>, w: ReturnType<typeof world>) => [KindName, string], RegExp][] = [
        ["community with projects", (_p, w) => ["Community", w.community.id], /contains 1 object \(Project "training"\)/],
        ["project with resources", (p, w) => {
            p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1 });
            return ["Project", w.project.id];
        }, /Project "training" cannot be deleted while it contains 1 object \(Dataset "ds"\)/],
        ["shared resource", (p, w) => {
            const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: "v" });
            p.owner.create("Share", { resourceId: s.id, resourceKind: "Secret", communityId: w.defaultCommunityId });
            return ["Secret", s.id];
        }, /Secret "tok" cannot be deleted while it is shared \(1 share/],
        ["community receiving shares", (p, w) => {
            const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: "v" });
            const target = p.owner.create("Community", { organizationId: w.org.id, name: "target", zone: "ru-central1-a" });
            p.owner.create("Share", { resourceId: s.id, resourceKind: "Secret", communityId: target.id });
            return ["Community", target.id];
        }, /Community "target" cannot be deleted while resources are shared into it/],
        ["activated dataset", (p, w) => ["Dataset", p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1, activated: true }).id],
            /cannot be deleted while it is activated\. Set activated to false first/],
        ["node used by an alias", (p, w) => {
            const n = p.owner.create("Node", { projectId: w.project.id, name: "n", image: "cr.example.net/a/b:1", instanceSpec: { cpu: 1, memoryGb: 1 } });
            p.owner.create("Alias", { projectId: w.project.id, name: "al", nodes: [{ nodeId: n.id, weight: 1 }] });
            return ["Node", n.id];
        }, /Node "n" cannot be deleted while it is used by Alias "al"/],
        ["billing account paying for projects", (_p, w) => ["BillingAccount", w.account.id], /BillingAccount "main" cannot be deleted while it is used by BillingLink "billing link of community "acme-research""/],
        ["billing link", (_p, w) => ["BillingLink", w.link.id], /cannot be removed: a community's billing link can only be pointed at another active billing account/],
        ["default community", (_p, w) => ["Community", w.defaultCommunityId], /default community and cannot be deleted/],
        ["organization with communities", (_p, w) => ["Organization", w.org.id], /Organization "acme" cannot be deleted while it contains \d+ objects/],
    ];
    it.each(cases)("%s", (_label, arrange, message) => {
        const p = platform();
        const w = world(p);
        const [kind, id] = arrange(p, w);
        const before = p.count();
        const e = expectError(() => p.owner.delete(kind, id));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(message);
        expect(p.count()).toBe(before);
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

    it("removes memberships and the billing link with their community", () => {
        const p = platform();
        const org = p.owner.create("Organization", { name: "o", displayName: "O", defaultZone: "ru-central1-a" });
        const acc = p.owner.create("BillingAccount", { organizationId: org.id, name: "b", status: "active" });
        const c = p.owner.create("Community", { organizationId: org.id, name: "c", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: c.id, billingAccountId: acc.id });
        p.owner.create("CommunityMember", { communityId: c.id, subject: "userAccount:x", role: "viewer" });
        p.owner.delete("Community", c.id);
        p.owner.delete("BillingAccount", acc.id);
        p.owner.delete("Organization", org.id);
        expect(p.count()).toBe(0);
    });
});

describe("billing", () => {
    it("needs an active link before projects", () => {
        const p = platform();
        const w = world(p);
        const bare = p.owner.create("Community", { organizationId: w.org.id, name: "bare", zone: "ru-central1-a" });
        expect(expectError(() => p.owner.create("Project", { communityId: bare.id, name: "p" })).message)
            .toMatch(/community "bare" has no active billing account linked/);
        p.owner.update("BillingAccount", w.account.id, { status: "suspended" });
        expect(expectError(() => p.owner.create("Project", { communityId: w.community.id, name: "p2" })).message)
            .toMatch(/billing account "main" is suspended/);
        expect(expectError(() => p.owner.create("BillingLink", { communityId: bare.id, billingAccountId: w.account.id })).message)
            .toMatch(/which is suspended\. Link an active billing account/);
    });

    it("re-points a link, one per community, never to another organization's account", () => {
        const p = platform();
        const w = world(p);
        const other = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "second", status: "active" });
        expect(p.owner.update("BillingLink", w.link.id, { billingAccountId: other.id }).spec.billingAccountId).toBe(other.id);
        expect(expectError(() => p.owner.create("BillingLink", { communityId: w.community.id, billingAccountId: other.id })))
            .toMatchObject({ code: "ALREADY_EXISTS", message: expect.stringMatching(/change its billingAccountId instead/) });
        const foreign = world(p, "globex");
        expect(expectError(() => p.owner.update("BillingLink", w.link.id, { billingAccountId: foreign.account.id })).message)
            .toMatch(/belongs to organization "globex" but community "acme-research" to "acme"/);
    });
});

describe("sharing at apply time", () => {
    it("refuses another zone and another organization, naming both sides", () => {
        const p = platform();
        const a = world(p, "acme", "ru-central1-a");
        const ds = p.owner.create("Dataset", { projectId: a.project.id, name: "train", sizeGb: 1 });
        const east = p.owner.create("Community", { organizationId: a.org.id, name: "east", zone: "ru-central1-b" });
        const b = world(p, "globex", "ru-central1-a");
        const zone = expectError(() => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: east.id }));
        expect(zone.message).toMatch(/Dataset "train" in zone ru-central1-a into community "east" in zone ru-central1-b/);
        const org = expectError(() => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: b.community.id }));
        expect(org.message).toMatch(/organization "acme" into community "globex-research" of organization "globex"/);
        expect(expectError(() => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Secret", communityId: a.community.id })).code).toBe("INVALID_ARGUMENT");
    });

    it("refuses a duplicate share and non-shareable kinds", () => {
        const p = platform();
        const w = world(p);
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "train", sizeGb: 1 });
        p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id });
        expect(expectError(() => p.owner.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.community.id })).code).toBe("ALREADY_EXISTS");
        const m = p.owner.create("Model", { projectId: w.project.id, name: "m" });
        expect(expectError(() => p.owner.create("Share", { resourceId: m.id, resourceKind: "Model", communityId: w.community.id })).message).toMatch(/resourceKind must be one of Dataset/);
    });
});

describe("writes that users rely on", () => {
    it("returns the first object for a retried create with the same idempotency key", () => {
        const p = platform();
        const w = world(p);
        const spec = { projectId: w.project.id, name: "ds", sizeGb: 1 };
        const a = p.owner.create("Dataset", spec, { idempotencyKey: "k1" });
        const b = p.owner.create("Dataset", spec, { idempotencyKey: "k1" });
        expect(b.id).toBe(a.id);
        expect(expectError(() => p.owner.create("Dataset", { ...spec, sizeGb: 2 }, { idempotencyKey: "k1" })))
            .toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/already used for a different request/) });
        p.owner.delete("Dataset", a.id);
        expect(p.owner.create("Dataset", { ...spec, sizeGb: 2 }, { idempotencyKey: "k1" }).id).not.toBe(a.id);
    });

    it("fails a conflicting write with ABORTED, naming both versions", () => {
        const p = platform();
        const w = world(p);
        p.owner.update("Project", w.project.id, { description: "by someone else" }, 1);
        const e = expectError(() => p.owner.update("Project", w.project.id, { description: "mine" }, 1));
        expect(e).toMatchObject({ code: "ABORTED", message: expect.stringMatching(/you read version 1, it is now at version 2/) });
        expect(p.owner.get("Project", w.project.id).spec.description).toBe("by someone else");
    });

    it("refuses to change what can never change", () => {
        const p = platform();
        const w = world(p);
        const e = expectError(() => p.owner.update("Community", w.community.id, { zone: "ru-central1-b" }));
        expect(e).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringMatching(/zone can never change/) });
        expect(p.owner.get("Community", w.community.id).zone).toBe("ru-central1-a");
    });

    it("keeps names unique in their parent and lets the same name live elsewhere", () => {
        const p = platform();
        const w = world(p);
        expect(expectError(() => p.owner.create("Project", { communityId: w.community.id, name: "training" }))).toMatchObject({
            code: "ALREADY_EXISTS", message: expect.stringMatching(/a Project named "training" already exists in community "acme-research"/),
        });
        const other = p.owner.create("Community", { organizationId: w.org.id, name: "other", zone: "ru-central1-a" });
        p.owner.create("BillingLink", { communityId: other.id, billingAccountId: w.account.id });
        expect(p.owner.create("Project", { communityId: other.id, name: "training" }).spec.name).toBe("training");
        expect(expectError(() => p.owner.create("Organization", { name: "acme", displayName: "Again", defaultZone: "ru-central1-a" })).code).toBe("ALREADY_EXISTS");
    });

    it("pages lists", () => {
        const p = platform();
        const w = world(p);
        for (let i = 0; i < 25; i++) p.owner.create("Dataset", { projectId: w.project.id, name: `ds-${i}`, sizeGb: 1 });
        const names: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
            const page = p.owner.list("Dataset", { parentId: w.project.id, pageSize: 10, pageToken: token });
            names.push(...page.items.map((o) => String(o.spec.name)));
            token = page.nextPageToken;
            pages++;
        } while (token);
        expect(pages).toBe(3);
        expect(new Set(names).size).toBe(25);
        expect(expectError(() => p.owner.list("Dataset", { pageSize: 1001 })).message).toMatch(/pageSize must be a whole number from 1 to 1000/);
        expect(expectError(() => p.owner.list("Dataset", { pageToken: "garbage" })).message).toMatch(/not a token this service issued/);
    });

    it("never stores a secret in plain text, and never returns it", () => {
        const p = platform();
        const w = world(p);
        const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: "PLAINTEXT-MARKER-1" });
        p.owner.create("S3Connector", { projectId: w.project.id, name: "s3", bucket: "b-1", accessKeyId: "PLAINTEXT-MARKER-2", secretAccessKey: "PLAINTEXT-MARKER-3" });
        p.owner.update("Secret", s.id, { value: "PLAINTEXT-MARKER-4" });
        p.db.pragma("wal_checkpoint(TRUNCATE)");
        const bytes = [p.file, `${p.file}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f).toString("latin1")).join("");
        expect(bytes).toContain("tok"); // the database was read
        expect(bytes).not.toMatch(/PLAINTEXT-MARKER/);
        expect(JSON.stringify(p.owner.list("Secret"))).not.toMatch(/PLAINTEXT-MARKER/);
        const bad = expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "Bad Name", value: "PLAINTEXT-MARKER-5" }));
        expect(bad.message).not.toMatch(/PLAINTEXT-MARKER/);
    });
});
