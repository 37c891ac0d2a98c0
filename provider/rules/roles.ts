// Who may do what. Pure: the control plane gathers the facts (memberships, organization roles) and asks here.
import { Role, ROLES } from "../model/fields";
import { KindName, KINDS, Mutation, Requirement } from "../model/kinds";

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

export type Operation = Mutation;
export type { Requirement };

/** The role each operation needs, as the kind declares it. Sharing needs two: project editor on the resource's
 * project AND developer in the target community (`SHARE_TARGET_REQUIREMENT`). */
export function requirementFor(kind: KindName, op: Operation): Requirement {
    return KINDS[kind].requires[op];
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
