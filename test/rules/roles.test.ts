// Who may do what: role inheritance and the requirement of every kind and operation, table-driven.
import { describe, expect, it } from "vitest";
import { Role, ROLES } from "../../provider/model/fields";
import { KIND_NAMES, KindName } from "../../provider/model/kinds";
import {
    atLeast, communityRole, isRole, Operation, OrganizationRole, projectRole, Requirement, requirementFor, satisfies,
    SHARE_TARGET_REQUIREMENT, strongest,
} from "../../provider/rules/roles";

const OPS: readonly Operation[] = ["create", "update", "delete"];
const ORG_ROLES: readonly (OrganizationRole | undefined)[] = [undefined, "member", "admin", "owner"];
const MAYBE_ROLES: readonly (Role | undefined)[] = [undefined, ...ROLES];

describe("role order", () => {
    it.each([
        [undefined, "viewer", false],
        ["viewer", "viewer", true],
        ["viewer", "developer", false],
        ["developer", "developer", true],
        ["developer", "editor", false],
        ["editor", "developer", true],
        ["editor", "admin", false],
        ["admin", "viewer", true],
        ["admin", "admin", true],
    ] as const)("atLeast(%s, %s) = %s", (actual, needed, expected) => {
        expect(atLeast(actual, needed)).toBe(expected);
    });

    it("picks the strongest role and ignores missing ones", () => {
        expect(strongest()).toBeUndefined();
        expect(strongest(undefined, undefined)).toBeUndefined();
        expect(strongest("viewer", undefined, "editor", "developer")).toBe("editor");
        expect(strongest("admin", "viewer")).toBe("admin");
    });

    it("recognises roles", () => {
        for (const r of ROLES) expect(isRole(r)).toBe(true);
        for (const r of ["owner", "Admin", "", undefined, 1]) expect(isRole(r)).toBe(false);
    });
});

describe("communityRole", () => {
    it.each([
        // explicit, organization role, default community -> role
        [undefined, undefined, false, undefined],
        [undefined, undefined, true, undefined],
        [undefined, "member", false, undefined],
        [undefined, "member", true, "developer"], // every organization member develops in "<Name> Team"
        [undefined, "admin", false, "admin"], // organization admins are community admins everywhere
        [undefined, "admin", true, "admin"],
        [undefined, "owner", false, "admin"],
        ["viewer", undefined, false, "viewer"],
        ["viewer", "member", true, "developer"], // the inherited role wins when it is stronger
        ["editor", "member", true, "editor"], // the explicit role wins when it is stronger
        ["viewer", "owner", false, "admin"],
        ["admin", "member", false, "admin"],
    ] as const)("explicit %s, organization %s, default %s -> %s", (explicit, organizationRole, isDefaultCommunity, expected) => {
        expect(communityRole({ explicit, organizationRole, isDefaultCommunity })).toBe(expected);
    });

    it("never gives less than the explicit role, for every combination", () => {
        for (const explicit of MAYBE_ROLES) for (const organizationRole of ORG_ROLES) for (const isDefaultCommunity of [false, true]) {
            const role = communityRole({ explicit, organizationRole, isDefaultCommunity });
            if (explicit) expect(atLeast(role, explicit)).toBe(true);
            if (organizationRole === "admin" || organizationRole === "owner") expect(role).toBe("admin");
            if (!explicit && organizationRole !== "admin" && organizationRole !== "owner") {
                expect(role).toBe(organizationRole === "member" && isDefaultCommunity ? "developer" : undefined);
            }
        }
    });
});

describe("projectRole", () => {
    it.each([
        [undefined, undefined, false, undefined],
        [undefined, undefined, true, "admin"], // whoever creates a project administers it
        [undefined, "admin", false, "admin"], // community admins administer its projects
        [undefined, "editor", false, undefined], // community editors get nothing in others' projects
        [undefined, "developer", false, undefined],
        ["viewer", "developer", false, "viewer"],
        ["editor", "viewer", false, "editor"],
        ["viewer", "admin", false, "admin"],
        ["developer", undefined, true, "admin"],
    ] as const)("explicit %s, community %s, creator %s -> %s", (explicit, community, isCreator, expected) => {
        expect(projectRole({ explicit, communityRole: community, isCreator })).toBe(expected);
    });
});

/** The whole permission table of the platform (platform-facts.md, "Roles"). */
function expected(kind: KindName, op: Operation): Pick<Requirement, "scope" | "role"> {
    switch (kind) {
        case "Organization":
        case "BillingAccount":
            return { scope: "organization", role: "organization admin" };
        case "Community":
            return op === "create" ? { scope: "organization", role: "organization member" } : { scope: "community", role: "editor" };
        case "BillingLink":
            return { scope: "community", role: "editor" };
        case "CommunityMember":
            return { scope: "community", role: "admin" };
        case "Project":
            return op === "create" ? { scope: "community", role: "developer" } : { scope: "project", role: "editor" };
        case "ProjectMember":
            return { scope: "project", role: "admin" };
        case "Share":
            return { scope: "project", role: "editor" };
        default:
            return { scope: "project", role: "developer" };
    }
}

describe("requirementFor", () => {
    const table = KIND_NAMES.flatMap((kind) => OPS.map((op) => [kind, op] as const));

    it.each(table)("%s %s", (kind, op) => {
        const req = requirementFor(kind, op);
        expect({ scope: req.scope, role: req.role }).toEqual(expected(kind, op));
        expect(req.what.length).toBeGreaterThan(0);
    });

    it.each([
        ["Project", "create", "create a project"],
        ["Project", "update", "edit a project"],
        ["Project", "delete", "delete a project"],
        ["ProjectMember", "create", "grant project roles"],
        ["CommunityMember", "delete", "grant community roles"],
        ["BillingLink", "update", "link a billing account"],
        ["Community", "delete", "delete a community"],
        ["Share", "create", "share a project resource"],
        ["Dataset", "delete", "delete a project resource"],
        ["BillingAccount", "create", "create a billing account"],
    ] as const)("%s %s is described as %j", (kind, op, what) => {
        expect(requirementFor(kind, op).what).toBe(what);
    });

    it("sharing also needs developer in the target community", () => {
        expect(SHARE_TARGET_REQUIREMENT).toMatchObject({ scope: "community", role: "developer" });
    });
});

describe("satisfies", () => {
    const communityReq = (role: Role): Requirement => ({ scope: "community", role, what: "x" });
    const projectReq = (role: Role): Requirement => ({ scope: "project", role, what: "x" });

    it("checks community requirements against the community role only", () => {
        for (const needed of ROLES) for (const has of MAYBE_ROLES) {
            expect(satisfies(communityReq(needed), { community: has })).toBe(atLeast(has, needed));
            // A project role, however strong, is no community role.
            expect(satisfies(communityReq(needed), { project: has, organization: "member" })).toBe(false);
        }
    });

    it("checks project requirements against the project role only", () => {
        for (const needed of ROLES) for (const has of MAYBE_ROLES) {
            expect(satisfies(projectReq(needed), { project: has })).toBe(atLeast(has, needed));
            expect(satisfies(projectReq(needed), { community: has })).toBe(false);
        }
    });

    it.each([
        [undefined, false, false],
        ["member", false, true],
        ["admin", true, true],
        ["owner", true, true],
    ] as const)("organization role %s: admin requirement %s, member requirement %s", (organization, asAdmin, asMember) => {
        expect(satisfies(requirementFor("Organization", "update"), { organization })).toBe(asAdmin);
        expect(satisfies(requirementFor("BillingAccount", "create"), { organization, community: "admin", project: "admin" })).toBe(asAdmin);
        expect(satisfies(requirementFor("Community", "create"), { organization })).toBe(asMember);
    });

    it.each([
        // kind, op, roles held, allowed
        ["Project", "create", { community: "viewer" }, false],
        ["Project", "create", { community: "developer" }, true],
        ["Project", "update", { community: "admin", project: "developer" }, false],
        ["Project", "update", { project: "editor" }, true],
        ["Project", "delete", { project: "editor" }, true],
        ["ProjectMember", "create", { project: "editor" }, false],
        ["ProjectMember", "create", { project: "admin" }, true],
        ["BillingLink", "create", { community: "developer" }, false],
        ["BillingLink", "update", { community: "editor" }, true],
        ["Community", "delete", { community: "developer" }, false],
        ["Community", "delete", { community: "editor" }, true],
        ["CommunityMember", "create", { community: "editor" }, false],
        ["CommunityMember", "create", { community: "admin" }, true],
        ["Share", "create", { project: "developer" }, false],
        ["Share", "create", { project: "editor" }, true],
        ["Dataset", "create", { project: "viewer" }, false],
        ["Dataset", "create", { project: "developer" }, true],
    ] as const)("%s %s with %j: %s", (kind, op, roles, allowed) => {
        expect(satisfies(requirementFor(kind, op), roles)).toBe(allowed);
    });
});
