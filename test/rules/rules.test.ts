// The pure rules, table-driven.
import { describe, expect, it } from "vitest";
import { deletionBlocker, DeletionFacts } from "../../provider/rules/deletion";
import { atLeast, communityRole, projectRole, requirementFor, satisfies, SHARE_TARGET_REQUIREMENT } from "../../provider/rules/roles";
import { shareFailures } from "../../provider/rules/sharing";
import { specRuleFailures } from "../../provider/rules/spec-rules";
import { KIND_NAMES } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";

const share = {
    resourceKind: "Dataset", resourceName: "train", resourceZone: "ru-central1-a", resourceOrganization: "acme",
    communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
};

describe("shareFailures", () => {
    it.each([
        ["same zone and organization", {}, []],
        ["another zone", { communityZone: "ru-central1-b" }, ["communityZone"]],
        ["another organization", { communityOrganization: "globex" }, ["communityOrganization"]],
        ["both", { communityOrganization: "globex", communityZone: "ru-central1-b" }, ["communityOrganization", "communityZone"]],
        ["a kind the platform cannot share", { resourceKind: "Model" }, ["resourceKind"]],
        ["unknown community zone", { communityZone: UNKNOWN }, []],
        ["unknown resource organization", { resourceOrganization: UNKNOWN, communityOrganization: "globex" }, []],
        ["zone not yet known at all", { resourceZone: undefined }, []],
    ] as const)("%s", (_label, change, properties) => {
        expect(shareFailures({ ...share, ...change }).map((f) => f.property)).toEqual(properties);
    });

    it("names both sides", () => {
        const [zone] = shareFailures({ ...share, communityZone: "ru-central1-b" });
        expect(zone.reason).toBe('cannot share Dataset "train" in zone ru-central1-a into community "research" in zone ru-central1-b: a resource can be shared only into a community of its own availability zone. Share into a community in ru-central1-a, or create the resource in a project of a ru-central1-b community.');
        const [org] = shareFailures({ ...share, communityOrganization: "globex" });
        expect(org.reason).toMatch(/organization "acme" into community "research" of organization "globex"/);
    });
});

describe("roles", () => {
    it.each([
        [{ isDefaultCommunity: false }, undefined],
        [{ isDefaultCommunity: true, organizationRole: "member" }, "developer"],
        [{ isDefaultCommunity: false, organizationRole: "member" }, undefined],
        [{ isDefaultCommunity: false, organizationRole: "admin" }, "admin"],
        [{ isDefaultCommunity: false, organizationRole: "owner", explicit: "viewer" }, "admin"],
        [{ isDefaultCommunity: true, organizationRole: "member", explicit: "editor" }, "editor"],
    ] as const)("communityRole(%j) = %s", (facts, role) => {
        expect(communityRole(facts)).toBe(role);
    });

    it.each([
        [{ isCreator: false }, undefined],
        [{ isCreator: true }, "admin"],
        [{ isCreator: false, communityRole: "admin" }, "admin"],
        [{ isCreator: false, communityRole: "editor" }, undefined],
        [{ isCreator: false, explicit: "viewer", communityRole: "developer" }, "viewer"],
    ] as const)("projectRole(%j) = %s", (facts, role) => {
        expect(projectRole(facts)).toBe(role);
    });

    it.each([
        ["Community", "create", "organization", "organization member"],
        ["Community", "delete", "community", "editor"],
        ["BillingLink", "create", "community", "editor"],
        ["CommunityMember", "create", "community", "admin"],
        ["Project", "create", "community", "developer"],
        ["Project", "update", "project", "editor"],
        ["Project", "delete", "project", "editor"],
        ["ProjectMember", "update", "project", "admin"],
        ["Share", "create", "project", "editor"],
        ["Dataset", "create", "project", "developer"],
        ["Organization", "update", "organization", "organization admin"],
        ["BillingAccount", "create", "organization", "organization admin"],
    ] as const)("%s %s needs %s %s", (kind, op, scope, role) => {
        expect(requirementFor(kind, op)).toMatchObject({ scope, role });
    });

    it("has a requirement for every kind and operation", () => {
        for (const kind of KIND_NAMES) for (const op of ["create", "update", "delete"] as const) expect(requirementFor(kind, op).what).toBeTruthy();
    });

    it("orders roles and checks requirements", () => {
        expect(atLeast("admin", "editor")).toBe(true);
        expect(atLeast("developer", "editor")).toBe(false);
        expect(atLeast(undefined, "viewer")).toBe(false);
        expect(satisfies(SHARE_TARGET_REQUIREMENT, { community: "developer" })).toBe(true);
        expect(satisfies(SHARE_TARGET_REQUIREMENT, { community: "viewer", project: "admin" })).toBe(false);
        expect(satisfies(requirementFor("Organization", "update"), { organization: "member" })).toBe(false);
        expect(satisfies(requirementFor("Organization", "update"), { organization: "owner" })).toBe(true);
    });
});

describe("deletionBlocker", () => {
    const base: DeletionFacts = { kind: "Project", label: "p", children: [], referencedBy: [] };
    it.each([
        ["nothing", base, undefined],
        ["only memberships and a billing link", { ...base, kind: "Community", children: [{ kind: "CommunityMember", label: "a" }, { kind: "BillingLink", label: "l" }] }, undefined],
        ["contents", { ...base, children: [{ kind: "Dataset", label: "d" }] }, /contains 1 object \(Dataset "d"\)/],
        ["many contents", { ...base, children: Array.from({ length: 7 }, (_, i) => ({ kind: "Dataset" as const, label: `d${i}` })) }, /7 objects .* and 2 more/],
        ["shares", { ...base, kind: "Dataset", referencedBy: [{ kind: "Share", label: "s" }] }, /while it is shared \(1 share: Share "s"\)/],
        ["shares into a community", { ...base, kind: "Community", referencedBy: [{ kind: "Share", label: "s" }] }, /resources are shared into it/],
        ["users", { ...base, kind: "Node", referencedBy: [{ kind: "Alias", label: "a" }] }, /used by Alias "a"/],
        ["activated", { ...base, kind: "Dataset", activated: true }, /activated/],
        ["default community", { ...base, kind: "Community", isDefaultCommunity: true }, /default community/],
        ["billing link", { ...base, kind: "BillingLink" }, /cannot be removed/],
    ] as const)("%s", (_label, facts, expected) => {
        const blocker = deletionBlocker(facts as DeletionFacts);
        if (expected === undefined) expect(blocker).toBeUndefined();
        else expect(blocker).toMatch(expected);
    });
});

describe("spec rules", () => {
    it.each([
        ["Node", { image: "a:1" }, []],
        ["Node", { modelId: "m" }, []],
        ["Node", {}, ["image"]],
        ["Node", { image: "a:1", modelId: "m" }, ["modelId"]],
        ["Node", { image: UNKNOWN }, []],
        ["Alias", { nodes: [{ nodeId: "a" }, { nodeId: "b" }] }, []],
        ["Alias", { nodes: [{ nodeId: "a" }, { nodeId: "a" }] }, ["nodes"]],
        ["Organization", { admins: ["userAccount:a"], members: ["userAccount:a"] }, ["members"]],
        ["Dataset", {}, []],
    ] as const)("%s %j", (kind, spec, properties) => {
        expect(specRuleFailures(kind, spec as Record<string, unknown>).map((f) => f.property)).toEqual(properties);
    });
});
