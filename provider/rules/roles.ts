// Who may do what. Pure: the control plane gathers the facts (memberships, organization roles) and asks here.
import { Role, ROLES } from "../model/fields";
import { KindName } from "../model/kinds";

export type OrganizationRole = "owner" | "admin" | "member";

const RANK: Record<Role, number> = { viewer: 1, developer: 2, editor: 3, admin: 4 };

export function atLeast(actual: Role | undefined, needed: Role): boolean {
    return actual !== undefined && RANK[actual] >= RANK[needed];
}

export function strongest(...roles: (Role | undefined)[]): Role | undefined {
    return roles.reduce<Role | undefined>((best, r) => (r && (!best || RANK[r] > RANK[best]) ? r : best), undefined);
}

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export interface CommunityRoleFacts {
    readonly explicit?: Role;
    readonly organizationRole?: OrganizationRole;
    /** Every organization member is a developer in the default community "<Name> Team". */
    readonly isDefaultCommunity: boolean;
}

/** Organization admins (and owners) are community admins everywhere in their organization. */
export function communityRole(f: CommunityRoleFacts): Role | undefined {
    const inherited: Role | undefined = f.organizationRole === "owner" || f.organizationRole === "admin"
        ? "admin"
        : f.organizationRole === "member" && f.isDefaultCommunity ? "developer" : undefined;
    return strongest(f.explicit, inherited);
}

export interface ProjectRoleFacts {
    readonly explicit?: Role;
    readonly communityRole?: Role;
    readonly isCreator: boolean;
}

/** Community admins administer the community's projects; whoever creates a project administers it. */
export function projectRole(f: ProjectRoleFacts): Role | undefined {
    return strongest(f.explicit, f.communityRole === "admin" || f.isCreator ? "admin" : undefined);
}

export type Operation = "create" | "update" | "delete";
export type Scope = "organization" | "community" | "project";

export interface Requirement {
    readonly scope: Scope;
    readonly role: Role | "organization admin" | "organization member";
    /** For messages: what the requirement protects. */
    readonly what: string;
}

/**
 * The role each operation needs, by kind. Sharing needs two: project editor on the resource's project AND
 * developer in the target community (see `SHARE_TARGET_REQUIREMENT`).
 */
export function requirementFor(kind: KindName, op: Operation): Requirement {
    switch (kind) {
        case "Organization":
            return { scope: "organization", role: "organization admin", what: `${op} an organization` };
        case "BillingAccount":
            return { scope: "organization", role: "organization admin", what: `${op} a billing account` };
        case "Community":
            return op === "create"
                ? { scope: "organization", role: "organization member", what: "create a community" }
                : { scope: "community", role: "editor", what: `${op} a community` };
        case "BillingLink":
            return { scope: "community", role: "editor", what: "link a billing account" };
        case "CommunityMember":
            return { scope: "community", role: "admin", what: "grant community roles" };
        case "Project":
            return op === "create"
                ? { scope: "community", role: "developer", what: "create a project" }
                : { scope: "project", role: "editor", what: `${op === "update" ? "edit" : "delete"} a project` };
        case "ProjectMember":
            return { scope: "project", role: "admin", what: "grant project roles" };
        case "Share":
            return { scope: "project", role: "editor", what: "share a project resource" };
        default:
            return { scope: "project", role: "developer", what: `${op} a project resource` };
    }
}

export const SHARE_TARGET_REQUIREMENT: Requirement = { scope: "community", role: "developer", what: "share into a community" };

export function satisfies(req: Requirement, roles: { organization?: OrganizationRole; community?: Role; project?: Role }): boolean {
    switch (req.role) {
        case "organization admin":
            return roles.organization === "owner" || roles.organization === "admin";
        case "organization member":
            return roles.organization !== undefined;
        default:
            return atLeast(req.scope === "community" ? roles.community : roles.project, req.role);
    }
}
