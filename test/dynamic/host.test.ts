// The provider through the real path: the provider text the SDK's classes send, loaded by Pulumi's dynamic-provider host,
// called over gRPC, against a real database file.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamicHost, hostOnOwnDatabase, UNKNOWN, type HostOnOwnDatabase } from "../support/dynamic-host";

let host: DynamicHost;
let dataDir: string;
let ownDatabase: HostOnOwnDatabase | undefined;

beforeAll(async () => {
    ownDatabase = await hostOnOwnDatabase("host");
    ({ host, dataDir } = ownDatabase);
}, 30_000);
afterAll(() => ownDatabase?.remove());

type Props = Record<string, any>;

/** An organization with a linked community and a project, created through the host. */
async function world(prefix: string, zone = "ru-central1-a") {
    const org = await host.up("Organization", { __logicalName: `${prefix}-org`, displayName: `${prefix} Org`, defaultZone: zone });
    const account = await host.up("BillingAccount", { __logicalName: "main", organizationId: org.id, organization: org.outs.name, status: "active" });
    const community = await host.up("Community", { __logicalName: `${prefix}-team`, organizationId: org.id, organization: org.outs.name, zone });
    await host.up("BillingLink", { communityId: community.id, billingAccountId: account.id, organization: org.outs.name });
    const project = await host.up("Project", { __logicalName: "ml", communityId: community.id, organization: org.outs.name, zone });
    return { org, account, community, project };
}

const inProject = (p: { id: string; outs: Props }, logicalName: string, extra: Props) => ({
    __logicalName: logicalName, projectId: p.id, organization: p.outs.organization, zone: p.outs.zone, ...extra,
});

describe("every kind through the dynamic-provider host", () => {
    it("creates, reads, updates and deletes each kind", async () => {
        const w = await world("crud");
        const model = await host.up("Model", inProject(w.project, "bert", { framework: "pytorch", sourceUri: "s3://models/bert" }));
        const node = await host.up("Node", inProject(w.project, "serve", { modelId: model.id, instanceSpec: { cpu: 2, memoryGb: 8 } }));
        const cases: [string, Props, Props][] = [
            ["Dataset", { sizeGb: 10 }, { description: "train split" }],
            ["Secret", { value: "s3cr3t-value" }, { value: "rotated-value" }],
            ["DockerImage", { image: "cr.example.net/team/trainer:1.0", registryPassword: "pw-1" }, { image: "cr.example.net/team/trainer:1.1" }],
            ["S3Connector", { bucket: "ml-data", accessKeyId: "AKIA1", secretAccessKey: "sk-1" }, { mountMode: "READ_WRITE" }],
            ["Node", { image: "cr.example.net/team/server:1", instanceSpec: { cpu: 2, memoryGb: 4 } }, { replicas: 2 }],
            ["Alias", { nodes: [{ nodeId: node.id, weight: 100 }] }, { description: "prod" }],
            ["DataProcTemplate", { cluster: { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 } }, { labels: { tier: "gold" } }],
            ["Model", { framework: "onnx" }, { sourceUri: "https://models.example.net/m.onnx" }],
            ["SparkConnector", { cluster: { type: "existing", clusterId: "c9q1234567890" } }, { cluster: { type: "temporary", spec: { version: "2.1", masterPreset: "s2.small", computePreset: "s2.small", computeHosts: 1, diskGb: 50 } } }],
            ["Checkpoint", { sourceUri: "s3://ckpt/v1" }, { sourceUri: "s3://ckpt/v2" }],
        ];
        for (const [kind, fields, change] of cases) {
            const created = await host.up(kind, inProject(w.project, `${kind.toLowerCase()}-x`, fields));
            expect(created.id, kind).toMatch(/^[a-z0-9]{20}$/);
            expect(created.outs.zone).toBe("ru-central1-a");
            expect(created.outs.platform.organizationId).toBe(w.org.id);
            expect(created.outs.platform.version).toBe(1);

            const read = await host.read(kind, created.id, created.outs);
            expect(read.id).toBe(created.id);
            expect(read.props.name).toBe(created.outs.name);

            const { inputs: news } = await host.check(kind, created.outs, { ...inProject(w.project, `${kind.toLowerCase()}-x`, fields), ...change });
            expect(news.name, "autoname kept across updates").toBe(created.outs.name);
            const d = await host.diff(kind, created.id, created.outs, news);
            expect(d, kind).toMatchObject({ changes: "some", replaces: [] });
            const updated = await host.update(kind, created.id, created.outs, news);
            expect(updated.platform.version, kind).toBe(2);
            for (const [k, v] of Object.entries(change)) expect(updated[k], `${kind}.${k}`).toEqual(v);

            await host.delete(kind, created.id, updated);
            expect((await host.read(kind, created.id, updated)).id, `${kind} gone after delete`).toBe("");
        }
    }, 60_000);

    it("manages memberships, billing links and shares", async () => {
        const w = await world("members");
        const cm = await host.up("CommunityMember", { communityId: w.community.id, organization: w.org.outs.name, subject: "userAccount:bob", role: "viewer" });
        const pm = await host.up("ProjectMember", { projectId: w.project.id, organization: w.org.outs.name, subject: "userAccount:bob", role: "developer" });
        const upd = await host.update("CommunityMember", cm.id, cm.outs, { ...cm.inputs, role: "developer" });
        expect(upd.role).toBe("developer");
        expect((await host.diff("ProjectMember", pm.id, pm.outs, { ...pm.inputs, subject: "userAccount:carol" })).replaces).toEqual(["subject"]);
        await host.delete("ProjectMember", pm.id, pm.outs);
        await host.delete("CommunityMember", cm.id, upd);

        const ds = await host.up("Dataset", inProject(w.project, "shared", { sizeGb: 5 }));
        const share = await host.up("Share", {
            resourceId: ds.id, resourceKind: "Dataset", communityId: w.org.outs.platform.defaultCommunityId,
            resourceName: ds.outs.name, resourceZone: "ru-central1-a", resourceOrganization: w.org.outs.name,
            communityName: w.org.outs.platform.defaultCommunityName, communityZone: "ru-central1-a", communityOrganization: w.org.outs.name,
        });
        expect(share.outs.communityName).toBe("members Org Team");
        await expect(host.delete("Dataset", ds.id, ds.outs)).rejects.toThrow(/FAILED_PRECONDITION: Dataset ".*" cannot be deleted while it is shared/);
        await host.delete("Share", share.id, share.outs);
        await host.delete("Dataset", ds.id, ds.outs);
    }, 60_000);
});

describe("plan-time rules in preview", () => {
    const shareNews = (over: Props = {}) => ({
        resourceId: UNKNOWN, resourceKind: "Dataset", communityId: UNKNOWN,
        resourceName: "train-abc1234", resourceZone: "ru-central1-a", resourceOrganization: "acme",
        communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme", ...over,
    });

    it("passes a share within one zone and organization while ids are unknown", async () => {
        expect((await host.check("Share", {}, shareNews())).failures).toEqual([]);
    });

    it("fails a cross-zone share at check, naming both sides", async () => {
        const { failures } = await host.check("Share", {}, shareNews({ communityZone: "ru-central1-b" }));
        expect(failures).toHaveLength(1);
        expect(failures[0].property).toBe("community");
        expect(failures[0].reason).toContain('Dataset "train-abc1234" in zone ru-central1-a');
        expect(failures[0].reason).toContain('community "research" in zone ru-central1-b');
    });

    it("fails a cross-organization share at check, naming both organizations", async () => {
        const { failures } = await host.check("Share", {}, shareNews({ communityOrganization: "globex" }));
        expect(failures.map((f) => f.property)).toEqual(["community"]);
        expect(failures[0].reason).toMatch(/organization "acme".*organization "globex"/);
    });

    it("leaves a rule undecided when a side is unknown, and the control plane refuses at apply time", async () => {
        const a = await world("zone-a", "ru-central1-a");
        const b = await host.up("Community", { __logicalName: "other-zone", organizationId: a.org.id, organization: a.org.outs.name, zone: "ru-central1-b" });
        const ds = await host.up("Dataset", inProject(a.project, "ds", { sizeGb: 1 }));
        const { failures } = await host.check("Share", {}, shareNews({ communityZone: UNKNOWN }));
        expect(failures).toEqual([]);
        const inputs = shareNews({ resourceId: ds.id, communityId: b.id, resourceName: ds.outs.name, resourceOrganization: a.org.outs.name, communityOrganization: a.org.outs.name, communityZone: "ru-central1-b" });
        // Bypass check (as if the zone had been unknown in preview): create re-checks, the control plane too.
        await expect(host.create("Share", await host.withProvider("Share", inputs))).rejects.toThrow(/community cannot share Dataset .* into community .* in zone ru-central1-b/);
    }, 30_000);

    it("reports bad input as failures with property paths, never a crash", async () => {
        const { failures } = await host.check("Dataset", {}, { __logicalName: "d", projectId: UNKNOWN, organization: "acme", zone: "ru-central1-a", sizeGb: -3, labels: { Bad: "x" }, colour: "red" });
        const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        expect(byProperty.colour).toMatch(/is not a property of Dataset/);
        expect(byProperty.sizeGb).toMatch(/must be at least 1, got -3\. Set a whole number of gigabytes/);
        expect(Object.keys(byProperty).some((p) => p.startsWith("labels"))).toBe(true);
    });

    it("never shows a secret in a check failure", async () => {
        const { failures } = await host.check("Secret", {}, { __logicalName: "s", projectId: UNKNOWN, organization: "acme", zone: "ru-central1-a", value: "x".repeat(70000) });
        // No property: the Pulumi CLI prints a failing property's value, in plain text even when it is secret.
        expect(failures.map((f) => f.property)).toEqual([""]);
        expect(failures[0].reason).toMatch(/^value must be at most 64 KiB, got \[secret\]/);
        expect(failures[0].reason).not.toContain("xxxx");
    });
});

describe("diff", () => {
    let community: Props;
    beforeAll(async () => {
        community = await host.withProvider("Community", { organizationId: "orgaaaaaaaaaaaaaaaaa", organization: "acme", name: "research", zone: "ru-central1-a" });
    });

    it("plans a replacement for a zone change, deleting first when the name is kept", async () => {
        const d = await host.diff("Community", "comaaaaaaaaaaaaaaaaa", community, { ...community, zone: "ru-central1-b" });
        expect(d).toEqual({ changes: "some", replaces: ["zone"], deleteBeforeReplace: true });
    });

    it("creates the replacement first when the name is autonamed", async () => {
        const auto = { ...community, __autonamed: true };
        expect(await host.diff("Community", "comaaaaaaaaaaaaaaaaa", auto, { ...auto, zone: "ru-central1-b" }))
            .toEqual({ changes: "some", replaces: ["zone"], deleteBeforeReplace: false });
    });

    it("ignores a provider upgrade and equal values", async () => {
        const olds = { ...community, __provider: `${community.__provider}\n// an older provider version`, version: 3 };
        // No change; were a replacement forced, the name it keeps would have the old object deleted first.
        expect(await host.diff("Community", "comaaaaaaaaaaaaaaaaa", olds, community))
            .toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
    });

    it("updates in place for a mutable field and replaces on an unknown immutable one", async () => {
        expect(await host.diff("Community", "c", community, { ...community, description: "x" })).toMatchObject({ changes: "some", replaces: [] });
        expect((await host.diff("Community", "c", community, { ...community, zone: UNKNOWN })).replaces).toEqual(["zone"]);
    });
});

describe("refresh, delete and adoption", () => {
    it("read of a deleted object returns no id; delete of a missing object succeeds", async () => {
        const w = await world("gone");
        const ds = await host.up("Dataset", inProject(w.project, "tmp", { sizeGb: 1 }));
        await host.delete("Dataset", ds.id, ds.outs);
        expect((await host.read("Dataset", ds.id, ds.outs)).id).toBe("");
        await expect(host.delete("Dataset", ds.id, ds.outs)).resolves.toBeUndefined();
    }, 30_000);

    it("create adopts an identical existing object and refuses a different one", async () => {
        const w = await world("adopt");
        const fields = inProject(w.project, "ds", { name: "fixed-name", sizeGb: 3 });
        const first = await host.up("Dataset", fields);
        const again = await host.up("Dataset", fields);
        expect(again.id).toBe(first.id);
        await expect(host.up("Dataset", { ...fields, sizeGb: 4 })).rejects.toThrow(/ALREADY_EXISTS: .*differs in sizeGb \(stored 3, requested 4\)/);

        const secret = inProject(w.project, "tok", { name: "fixed-secret", value: "first-value" });
        const s1 = await host.up("Secret", secret);
        expect((await host.up("Secret", secret)).id).toBe(s1.id);
        const refused = host.up("Secret", { ...secret, value: "second-value" });
        await expect(refused).rejects.toThrow(/ALREADY_EXISTS: .*differs in value \(secret\)/);
        await refused.catch((e: Error) => expect(e.message).not.toMatch(/first-value|second-value/));
    }, 30_000);

    it("refresh notices a secret changed outside Pulumi without reading it back", async () => {
        const w = await world("drift");
        const s = await host.up("Secret", inProject(w.project, "tok", { value: "v1-secret" }));
        const same = await host.read("Secret", s.id, s.outs);
        expect(same.props.value).toBe("v1-secret");
        const rotated = await host.update("Secret", s.id, s.outs, { ...s.inputs, value: "v2-secret" });
        // State still holds v1 (as if the change happened outside Pulumi): the digest no longer matches.
        const refreshed = await host.read("Secret", s.id, { ...s.outs, platform: rotated.platform });
        expect(refreshed.props.value).toBeUndefined();
        const db = fs.readFileSync(path.join(dataDir, "platform.db")).toString("latin1") + (fs.existsSync(path.join(dataDir, "platform.db-wal")) ? fs.readFileSync(path.join(dataDir, "platform.db-wal")).toString("latin1") : "");
        expect(db).not.toContain("v1-secret");
        expect(db).not.toContain("v2-secret");
    }, 30_000);

    it("a conflicting concurrent write fails with ABORTED instead of overwriting", async () => {
        const w = await world("conflict");
        const ds = await host.up("Dataset", inProject(w.project, "c", { sizeGb: 1 }));
        await host.update("Dataset", ds.id, ds.outs, { ...ds.inputs, description: "first" });
        await expect(host.update("Dataset", ds.id, ds.outs, { ...ds.inputs, description: "second" })).rejects.toThrow(/ABORTED: .*version 1, it is now at version 2/);
        // State written before the platform output existed kept the version at the top level: still honoured.
        const { platform: _platform, ...beforePlatform } = ds.outs;
        const legacy = { ...beforePlatform, version: 1 };
        await expect(host.update("Dataset", ds.id, legacy, { ...ds.inputs, description: "third" })).rejects.toThrow(/ABORTED: .*version 1, it is now at version 2/);
    }, 30_000);
});
