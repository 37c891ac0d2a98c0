// What some kinds do beyond storing their fields, declared per kind instead of as `kind === "…"` branches in the
// service: an organization founds its roles and its default community and renames that community with it; a
// billing account takes its links with it; links and shares are named by what they join. Each entry is called by
// the service at one point of an operation, inside its transaction, after every rule passed.
import { PlatformError } from "../model/errors";
import { ContextField, KindName, KINDS } from "../model/kinds";
import type { Principal } from "../model/contract";
import { newId, Row, Statements } from "./rows";

export interface KindBehaviour {
    /** After the object was inserted. */
    created?(stmt: Statements, principal: Principal, row: Row, spec: Record<string, any>): void;
    /** After the object was updated from `before` to `after`. */
    updated?(stmt: Statements, row: Row, before: Record<string, any>, after: Record<string, any>, at: string): void;
    /** Objects deleted with this one, once the rules allowed its deletion (besides REMOVED_WITH_PARENT children). */
    goesWith?(stmt: Statements, row: Row): Row[];
    /** Read-only facts of the kind returned beside its fields (declared as outputs on the kind). */
    extra?(stmt: Statements, row: Row): Record<string, unknown>;
    /** How a message names an object of a kind without a name. */
    label?(stmt: Statements, spec: Record<string, any>): string;
    /** The plan-time facts it returns beyond its organization and zone (a share's two ends). */
    context?(stmt: Statements, spec: Record<string, any>, organizationName: (orgId: string | null) => string | undefined): Partial<Record<ContextField, string>>;
    /** What to do instead, when a create meets one that exists already. */
    duplicateFix?: string;
}

const defaultCommunityOf = (stmt: Statements, orgId: string) => stmt.children.all(orgId).find((c) => c.system === 1);
const defaultCommunityName = (displayName: string) => `${displayName} Team`;

/** Organization roles: listing the owner among admins or members never demotes it (the statement keeps 'owner'). */
function writeOrganizationRoles(stmt: Statements, orgId: string, owner: Principal | undefined, spec: Record<string, any>): void {
    for (const s of spec.members ?? []) if (s !== owner) stmt.setOrgRole.run(orgId, s, "member");
    for (const s of spec.admins ?? []) if (s !== owner) stmt.setOrgRole.run(orgId, s, "admin");
}

export const BEHAVIOUR: Partial<Record<KindName, KindBehaviour>> = {
    Organization: {
        created(stmt, principal, org, spec) {
            stmt.setOrgRole.run(org.id, principal, "owner");
            writeOrganizationRoles(stmt, org.id, principal, spec);
            // Its default community "<displayName> Team", made by the platform (system), in its default zone.
            const name = defaultCommunityName(spec.displayName);
            const community = { organizationId: org.id, name, zone: spec.defaultZone, description: `Default community of ${spec.displayName}` };
            stmt.insert.run({
                id: newId(KINDS.Community.idPrefix), kind: "Community", parent_id: org.id, scope: org.id, unique_key: name, organization_id: org.id,
                zone: spec.defaultZone, name, spec: JSON.stringify(community), sealed: null, system: 1, version: 1,
                created_at: org.created_at, updated_at: org.created_at, created_by: principal, owner: null,
            });
        },
        updated(stmt, org, before, after, at) {
            stmt.clearOrgRoles.run(org.id);
            writeOrganizationRoles(stmt, org.id, undefined, after);
            if (before.displayName === after.displayName) return;
            const community = defaultCommunityOf(stmt, org.id);
            if (!community) return;
            const name = defaultCommunityName(after.displayName);
            if (stmt.byKey.get("Community", org.id, name)) {
                throw new PlatformError("ALREADY_EXISTS", `Organization "${org.name}": displayName ${JSON.stringify(after.displayName)} would rename the default community to "${name}", which another community already uses. Rename that community first.`);
            }
            stmt.renameSystem.run(name, name, JSON.stringify({ ...JSON.parse(community.spec), name }), at, community.id);
        },
        // Its default community goes with it (the rules have checked it is empty).
        goesWith: (stmt, org) => stmt.children.all(org.id).filter((c) => c.system === 1),
        extra(stmt, org) {
            const community = defaultCommunityOf(stmt, org.id);
            return { defaultCommunityId: community?.id, defaultCommunityName: community?.name };
        },
    },
    // Links of communities without projects go with the account (the rules block it while one pays for projects).
    BillingAccount: { goesWith: (stmt, account) => stmt.referrers.all(account.id) },
    BillingLink: {
        label: (stmt, spec) => `billing link of community "${stmt.byId.get(spec.communityId)?.name ?? spec.communityId}"`,
        duplicateFix: "A community has one billing link: change its billingAccountId instead.",
    },
    Share: {
        context(stmt, spec, organizationName) {
            const resource = stmt.byId.get(spec.resourceId);
            const community = stmt.byId.get(spec.communityId);
            return {
                resourceName: resource?.name ?? undefined, resourceZone: resource?.zone ?? undefined,
                resourceOrganization: organizationName(resource?.organization_id ?? null),
                communityName: community?.name ?? undefined, communityZone: community?.zone ?? undefined,
                communityOrganization: organizationName(community?.organization_id ?? null),
            };
        },
        label(stmt, spec) {
            const resource = stmt.byId.get(spec.resourceId);
            const community = stmt.byId.get(spec.communityId);
            return `${resource?.name ?? spec.resourceId} -> ${community?.name ?? spec.communityId}`;
        },
    },
};
