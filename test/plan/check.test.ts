// The pure plan engine's check: schema + rules, autonaming, unknowns. Table-driven.
import { describe, expect, it } from "vitest";
import { check } from "../../provider/plan/check";
import { KIND_NAMES, KindName } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";

const suffix = () => "abc1234";
const ids = { org: "orgaaaaaaaaaaaaaaaaa", com: "comaaaaaaaaaaaaaaaaa", prj: "prjaaaaaaaaaaaaaaaaa", nod: "nodaaaaaaaaaaaaaaaaa", dts: "dtsaaaaaaaaaaaaaaaaa", bla: "blaaaaaaaaaaaaaaaaaa" };
const scoped = { organization: "acme", zone: "ru-central1-a" };
const inProject = { projectId: ids.prj, ...scoped };
const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 };

/** A valid set of inputs for every kind, as the SDK sends them. */
export const VALID: Record<KindName, Record<string, unknown>> = {
    Organization: { displayName: "Acme", defaultZone: "ru-central1-a" },
    BillingAccount: { organizationId: ids.org, organization: "acme", status: "active" },
    BillingLink: { communityId: ids.com, billingAccountId: ids.bla, organization: "acme" },
    Community: { organizationId: ids.org, organization: "acme", zone: "ru-central1-a", labels: { team: "ml" } },
    CommunityMember: { communityId: ids.com, organization: "acme", subject: "userAccount:alice", role: "editor" },
    Project: { communityId: ids.com, ...scoped, settings: { ide: "JUPYTER_LAB" }, limits: { maxUnitsPerHour: 5 }, unitBalance: 10 },
    ProjectMember: { projectId: ids.prj, organization: "acme", subject: "serviceAccount:ci", role: "admin" },
    Dataset: { ...inProject, sizeGb: 10, activated: false },
    Secret: { ...inProject, value: "s3cr3t" },
    DockerImage: { ...inProject, image: "cr.example.net/team/img:1.0", registryUsername: "u", registryPassword: "p" },
    S3Connector: { ...inProject, bucket: "ml-data", endpoint: "https://storage.example.net", mountMode: "READ_ONLY", accessKeyId: "a", secretAccessKey: "b" },
    Node: { ...inProject, image: "cr.example.net/team/srv:2", instanceSpec: { cpu: 2, memoryGb: 4, gpu: 0 }, instanceZone: "ru-central1-b", replicas: 2 },
    Alias: { ...inProject, nodes: [{ nodeId: ids.nod, weight: 50 }] },
    DataProcTemplate: { ...inProject, cluster },
    Model: { ...inProject, framework: "onnx", sourceUri: "s3://models/m" },
    SparkConnector: { ...inProject, cluster: { type: "temporary", spec: cluster } },
    Checkpoint: { ...inProject, sourceUri: "s3://ckpt/1", notebookPath: "main.ipynb" },
    Share: {
        resourceId: ids.dts, resourceKind: "Dataset", communityId: ids.com, resourceName: "train", resourceZone: "ru-central1-a",
        resourceOrganization: "acme", communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
    },
};

const run = (kind: KindName, news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
    check(kind, olds, { __logicalName: "my_Resource", __provider: "text", ...news }, suffix);

describe("check accepts valid inputs of every kind", () => {
    it.each(KIND_NAMES)("%s", (kind) => {
        const { failures, inputs } = run(kind, VALID[kind]);
        expect(failures).toEqual([]);
        expect(inputs.__provider).toBe("text");
    });
});

describe("check autonames once", () => {
    it("derives a pattern-safe name from the logical name", () => {
        expect(run("Dataset", VALID.Dataset).inputs).toMatchObject({ name: "my-resource-abc1234", __autonamed: true });
    });
    it("keeps the chosen name on later runs", () => {
        const olds = { name: "my-resource-zzz9999", __autonamed: true };
        expect(run("Dataset", VALID.Dataset, olds).inputs.name).toBe("my-resource-zzz9999");
    });
    it("uses an explicit name and forgets autonaming", () => {
        const r = run("Dataset", { ...VALID.Dataset, name: "fixed" }, { name: "old-abc", __autonamed: true });
        expect(r.inputs.name).toBe("fixed");
        expect(r.inputs.__autonamed).toBeUndefined();
    });
    it("names nothing for kinds without a name", () => {
        expect(run("CommunityMember", VALID.CommunityMember).inputs.name).toBeUndefined();
    });
});

describe("check reports bad input with property paths", () => {
    const cases: [KindName, Record<string, unknown>, string, RegExp][] = [
        ["Community", { zone: "mars-1" }, "zone", /must be an availability zone id like ru-central1-a, got "mars-1"/],
        ["Community", { name: "has space" }, "name", /without whitespace/],
        ["Project", { name: "Upper" }, "name", /lowercase/],
        ["Project", { limits: { maxUnitsPerHour: -1 } }, "limits.maxUnitsPerHour", /must not be negative, got -1/],
        ["Project", { settings: { ide: "VSCODE" } }, "settings.ide", /must be JUPYTER_LAB/],
        ["Project", { settings: { idee: "JUPYTER_LAB" } }, "settings", /unknown key "idee"/],
        ["Dataset", { sizeGb: 1.5 }, "sizeGb", /whole number, got 1.5/],
        ["Dataset", { sizeGb: "10" }, "sizeGb", /must be a number/],
        ["Dataset", { description: "x".repeat(257) }, "description", /at most 256/],
        ["Dataset", { labels: { "9bad": "v" } }, "labels.9bad", /label keys/],
        ["Dataset", { colour: 1 }, "colour", /is not a property of Dataset/],
        ["Dataset", { sizegb: 1 }, "sizegb", /Did you mean "sizeGb"/],
        ["CommunityMember", { role: "owner" }, "role", /viewer, developer, editor, admin/],
        ["CommunityMember", { subject: "alice" }, "subject", /userAccount:<id>/],
        ["S3Connector", { endpoint: "ftp://x" }, "endpoint", /https or http URL/],
        ["DockerImage", { image: "UPPER/Case" }, "image", /Docker image reference/],
        ["Alias", { nodes: [] }, "nodes", /at least one node/],
        ["Node", { image: undefined }, "image", /exactly one of image/],
        ["SparkConnector", { cluster: { type: "existing" } }, "cluster.clusterId", /required|must be/],
        ["Share", { resourceKind: "Model" }, "resourceKind", /must be one of Dataset/],
        ["Share", { communityZone: "ru-central1-b" }, "communityZone", /zone ru-central1-a into community "research" in zone ru-central1-b/],
        ["Share", { communityOrganization: "globex" }, "communityOrganization", /organization "acme" into community "research" of organization "globex"/],
    ];
    it.each(cases)("%s %j -> %s", (kind, change, property, reason) => {
        const { failures } = run(kind, { ...VALID[kind], ...change });
        const failure = failures.find((f) => f.property === property);
        expect(failure, JSON.stringify(failures)).toBeDefined();
        expect(failure!.reason).toMatch(reason);
    });

    it("reports a missing required field", () => {
        const { sizeGb: _, ...rest } = VALID.Dataset as any;
        expect(run("Dataset", rest).failures).toContainEqual({ property: "sizeGb", reason: expect.stringMatching(/^is required/) });
    });

    it("never throws, whatever arrives", () => {
        for (const junk of [{ sizeGb: null }, { labels: "x" }, { labels: [1] }, { nodes: { a: 1 } }, { settings: 5 }, { projectId: 42 }]) {
            for (const kind of KIND_NAMES) expect(() => run(kind, { ...VALID[kind], ...junk })).not.toThrow();
        }
    });
});

describe("check with preview unknowns", () => {
    it("skips fields whose value is unknown", () => {
        expect(run("Dataset", { ...VALID.Dataset, projectId: UNKNOWN, sizeGb: UNKNOWN }).failures).toEqual([]);
        expect(run("Secret", { ...VALID.Secret, value: UNKNOWN }).failures).toEqual([]);
        expect(run("Alias", { ...VALID.Alias, nodes: [{ nodeId: UNKNOWN, weight: 1 }] }).failures).toEqual([]);
    });
    it("leaves a share rule undecided when one side is unknown, and decides the other", () => {
        const r = run("Share", { ...VALID.Share, communityZone: UNKNOWN, communityOrganization: "globex" });
        expect(r.failures.map((f) => f.property)).toEqual(["communityOrganization"]);
    });
});
