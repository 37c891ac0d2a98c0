// Access control: who may see an object and who may do what to it. The roles themselves are pure rules
// (rules/roles.ts); this module reads the memberships they are decided from.
import { PlatformError, subjectOf } from "../model/errors";
import { Role } from "../model/fields";
import { KindDecl, KindName, KINDS } from "../model/kinds";
import type { Principal } from "../model/contract";
import { communityRole, OrganizationRole, Operation, projectRole, Requirement, requirementFor, satisfies } from "../rules/roles";
import type { Row, Statements } from "./rows";

/** Whether objects of `kind` are `ancestor` objects or lie below one (by the kinds' declared parents). */
function within(kind: KindName, ancestor: KindName): boolean {
    if (kind === ancestor) return true;
    return KINDS[kind].parent?.kinds.some((k) => within(k, ancestor)) ?? false;
}

export class Access {
    constructor(private readonly stmt: Statements) {}

    organizationRole(principal: Principal, orgId: string | null): OrganizationRole | undefined {
        return orgId ? this.stmt.orgRole.get(orgId, principal)?.role : undefined;
    }

    canSee(principal: Principal, row: Row): boolean {
        return row.organization_id !== null && this.stmt.visibleOrg.get(row.organization_id, principal, row.organization_id, principal) !== undefined;
    }

    visibleRow(principal: Principal, kind: KindName | undefined, id: string): Row {
        const row = typeof id === "string" ? this.stmt.byId.get(id) : undefined;
        if (!row || (kind && row.kind !== kind) || !this.canSee(principal, row)) {
            // Objects of other organizations are invisible: not found, never "forbidden".
            throw new PlatformError("NOT_FOUND", `${kind ?? "object"} ${JSON.stringify(id)} not found (or not visible to ${principal}). Check the id; the object may have been deleted.`);
        }
        return row;
    }

    parentOf(principal: Principal, decl: KindDecl, spec: Readonly<Record<string, unknown>>): Row {
        const { field, kinds } = decl.parent!;
        const id = String(spec[field]);
        const row = this.stmt.byId.get(id);
        if (!row || !kinds.includes(row.kind) || !this.canSee(principal, row)) {
            throw new PlatformError("NOT_FOUND", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: ${field} ${JSON.stringify(id)} is not an existing ${kinds.join(" or ")} visible to ${principal}. Pass the id of an existing ${kinds.length === 1 ? kinds[0] : "resource"}.`);
        }
        return row;
    }

    /** The nearest object of a kind on the way up from `row` (itself included). */
    ancestor(row: Row, kind: KindName): Row | undefined {
        for (let r: Row | undefined = row; r; r = r.parent_id ? this.stmt.byId.get(r.parent_id) : undefined) {
            if (r.kind === kind) return r;
        }
        return undefined;
    }

    rolesIn(principal: Principal, anchor: Row): { organization?: OrganizationRole; community?: Role; project?: Role } {
        const organization = this.organizationRole(principal, anchor.organization_id);
        if (organization === "owner" || organization === "admin") {
            // An organization admin's role in a community and its projects is admin whatever its memberships say
            // (rules/roles.ts): the usual principal of a platform team's stack skips three lookups per operation.
            const community = within(anchor.kind, "Community") ? communityRole({ organizationRole: organization, isDefaultCommunity: false }) : undefined;
            const project = within(anchor.kind, "Project") ? projectRole({ communityRole: community, isCreator: false }) : undefined;
            return { organization, community, project };
        }
        const explicit = (scope: Row, kind: KindName) => {
            const m = this.stmt.byKey.get(kind, scope.id, principal);
            return m ? (JSON.parse(m.spec).role as Role) : undefined;
        };
        const communityRow = this.ancestor(anchor, "Community");
        const community = communityRow
            ? communityRole({ explicit: explicit(communityRow, "CommunityMember"), organizationRole: organization, isDefaultCommunity: communityRow.system === 1 })
            : undefined;
        const projectRow = this.ancestor(anchor, "Project");
        const project = projectRow
            ? projectRole({ explicit: explicit(projectRow, "ProjectMember"), communityRole: community, isCreator: projectRow.created_by === principal })
            : undefined;
        return { organization, community, project };
    }

    authorize(principal: Principal, kind: KindName, op: Operation, anchor: Row | undefined): void {
        const req = requirementFor(kind, op);
        if (KINDS[kind].foundsOrganization && op === "create") return; // anyone may found an organization and owns it
        const roles = anchor ? this.rolesIn(principal, anchor) : {};
        if (!satisfies(req, roles)) {
            const scopeRow = anchor && (req.scope === "organization" ? this.stmt.byId.get(anchor.organization_id ?? "") : this.ancestor(anchor, req.scope === "community" ? "Community" : "Project"));
            throw this.denied(principal, req, scopeRow, req.scope === "organization" ? roles.organization : req.scope === "community" ? roles.community : roles.project);
        }
    }

    denied(principal: Principal, req: Requirement, scopeRow: Row | undefined, has: string | undefined): PlatformError {
        const where = scopeRow ? `${req.scope} "${scopeRow.name}"` : `the ${req.scope}`;
        const needs = req.role.startsWith("organization") ? `to be an ${req.role}` : `the ${req.role} role in ${where}`;
        const grant = req.scope === "project" ? "a ProjectMember from a project admin" : req.scope === "community" ? "a CommunityMember from a community admin" : "the organization's admins list";
        return new PlatformError("PERMISSION_DENIED", `${principal} cannot ${req.what}: it needs ${needs} (has ${has ?? "no role"}). Ask for it with ${grant}.`);
    }
}
