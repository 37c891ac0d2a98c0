// The pure plan engine's check: schema + rules, autonaming, unknowns. Table-driven.
import { describe, expect, it } from "vitest";
import { check } from "../../provider/plan/check";
import { KIND_NAMES, KindName } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";
import { EXAMPLE_INPUTS } from "../../provider/model/examples";

const suffix = () => "abc1234";
const VALID = EXAMPLE_INPUTS;

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
