// What some kinds do beyond storing their fields, declared per kind instead of as `kind === "…"` branches in the
// service: the rules a kind keeps at apply time with facts from the store (a project needs a billed community, a
// share both ends in one organization and zone); an organization founds its roles and its default community and
// renames that community with it; a billing account takes its links with it; links and shares are named by what
// they join. Each entry is called by the service at one point of an operation, inside its transaction.
import { PlatformError } from "../model/errors";
import { ContextField, KindName, KINDS, SpecOf } from "../model/kinds";
import type { Principal } from "../model/contract";
import { satisfies, SHARE_TARGET_REQUIREMENT } from "../rules/roles";
import { useFailures } from "../rules/shared-use";
import { shareFailures } from "../rules/sharing";
import type { Access } from "./access";
import { newId, Row, Statements } from "./rows";
import type { Views } from "./views";

/** What a kind's apply-time rules may read, and how messages name the object. */
export interface RuleContext {
    readonly stmt: Statements;
    readonly access: Access;
    readonly views: Views;
    readonly principal: Principal;
    /** `Kind "name"`, as every message starts. */
    readonly subject: string;
}

/** What a kind does beyond storing its fields; `Spec` is the kind's fields as its declaration infers them. */
export interface KindBehaviour<Spec = Readonly<Record<string, unknown>>> {
    /**
     * The kind's rules at apply time, after its fields, parent and references were checked and before anything is
     * written: throws the platform's error. `self` is the stored object on an update.
     */
    verify?(ctx: RuleContext, spec: Spec, parent: Row | undefined, self?: Row): void;
    /** Of the objects that point at this one, those that block its deletion (default: all of them). */
    blockingReferrers?(stmt: Statements, referrers: Row[]): Row[];
    /** After the object was inserted. */
    created?(stmt: Statements, principal: Principal, row: Row, spec: Spec): void;
    /** After the object was updated from `before` to `after`. */
    updated?(stmt: Statements, row: Row, before: Spec, after: Spec, at: string): void;
    /** Objects deleted with this one, once the rules allowed its deletion (besides REMOVED_WITH_PARENT children). */
    goesWith?(stmt: Statements, row: Row): Row[];
    /** Read-only facts of the kind returned beside its fields (declared as outputs on the kind). */
    extra?(stmt: Statements, row: Row): Record<string, unknown>;
    /** How a message names an object of a kind without a name. */
    label?(stmt: Statements, spec: Spec): string;
    /** The plan-time facts it returns beyond its organization and zone (a share's two ends). */
    context?(stmt: Statements, spec: Spec, organizationName: (orgId: string | null) => string | undefined): Partial<Record<ContextField, string>>;
    /** What to do instead, when a create meets one that exists already. */
    duplicateFix?: string;
}

const defaultCommunityOf = (stmt: Statements, orgId: string) => stmt.children.all(orgId).find((c) => c.system === 1);
const defaultCommunityName = (displayName: string) => `${displayName} Team`;

/**
 * Both sides of a project's use of a shared resource, as stored: the project and its community, the shared resource
 * and the community it is shared into. The use's rule reads them at apply time, and a read returns them as the
 * plan-time facts the SDK sent.
 */
function useSides(stmt: Statements, spec: SpecOf<"SharedResourceUse">, organizationName: (orgId: string | null) => string | undefined) {
    const project = stmt.byId.get(spec.projectId);
    const projectCommunity = project?.parent_id ? stmt.byId.get(project.parent_id) : undefined;
    const share = stmt.byId.get(spec.shareId);
    const resource = share?.parent_id ? stmt.byId.get(share.parent_id) : undefined;
    const community = share ? stmt.byId.get(String(JSON.parse(share.spec).communityId)) : undefined;
    return {
        facts: {
            projectName: project?.name ?? undefined, organization: organizationName(project?.organization_id ?? null), zone: project?.zone ?? undefined,
            projectCommunityId: projectCommunity?.id, projectCommunityName: projectCommunity?.name ?? undefined,
            resourceKind: resource?.kind, resourceName: resource?.name ?? undefined,
            shareCommunityId: community?.id, communityName: community?.name ?? undefined, communityZone: community?.zone ?? undefined,
            communityOrganization: organizationName(community?.organization_id ?? null),
        },
        resource,
    };
}

/** Organization roles: listing the owner among admins or members never demotes it (the statement keeps 'owner'). */
function writeOrganizationRoles(stmt: Statements, orgId: string, owner: Principal | undefined, spec: SpecOf<"Organization">): void {
    for (const s of spec.members ?? []) if (s !== owner) stmt.setOrgRole.run(orgId, s, "member");
    for (const s of spec.admins ?? []) if (s !== owner) stmt.setOrgRole.run(orgId, s, "admin");
}

const BEHAVIOURS: { readonly [K in KindName]?: KindBehaviour<SpecOf<K>> } = {
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
    BillingAccount: {
        /**
         * A billing account is blocked only by links of communities that hold projects (it pays for them); links of
         * empty communities go with the account. So `destroy` works in any order Pulumi picks: projects depend on
         * their community's link, which depends on the account, and once the projects are gone nothing is billed.
         */
        blockingReferrers: (stmt, links) => links.filter((link) => stmt.children.all(link.parent_id!).some((c) => !KINDS[c.kind].removedWithParent)),
        goesWith: (stmt, account) => stmt.referrers.all(account.id),
    },
    Project: {
        verify({ stmt, subject }, _spec, community, self) {
            if (self) return; // the rule guards creation only
            const link = stmt.byKey.get("BillingLink", community!.id, "billing");
            const account = link ? stmt.byId.get(JSON.parse(link.spec).billingAccountId) : undefined;
            const status = account ? JSON.parse(account.spec).status : undefined;
            if (!account || status !== "active") {
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: community "${community!.name}" has no active billing account linked${account ? ` (billing account "${account.name}" is ${status})` : ""}. Link an active account with a BillingLink before creating projects in it.`);
            }
        },
    },
    BillingLink: {
        verify({ stmt, views, subject }, spec, community) {
            const account = stmt.byId.get(spec.billingAccountId)!;
            if (account.organization_id !== community!.organization_id) {
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: billing account "${account.name}" belongs to organization "${views.organizationName(account.organization_id)}" but community "${community!.name}" to "${views.organizationName(community!.organization_id)}". Link an account of the community's organization.`);
            }
            const status = JSON.parse(account.spec).status;
            if (status !== "active") {
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId points at billing account "${account.name}", which is ${status}. Link an active billing account.`);
            }
        },
        label: (stmt, spec) => `billing link of community "${stmt.byId.get(spec.communityId)?.name ?? spec.communityId}"`,
        duplicateFix: "A community has one billing link: change its billingAccountId instead.",
    },
    Share: {
        verify({ stmt, access, views, principal }, spec, resource) {
            const community = stmt.byId.get(spec.communityId)!;
            if (resource!.kind !== spec.resourceKind) {
                throw new PlatformError("INVALID_ARGUMENT", `Share: resourceKind is ${spec.resourceKind} but resourceId ${resource!.id} is a ${resource!.kind}. Pass the resource itself.`);
            }
            // The same rules the provider ran in preview, with the facts as stored.
            const failures = shareFailures({
                resourceKind: resource!.kind, resourceName: resource!.name, resourceZone: resource!.zone,
                resourceOrganization: views.organizationName(resource!.organization_id),
                communityName: community.name, communityZone: community.zone,
                communityOrganization: views.organizationName(community.organization_id),
            });
            if (failures.length) throw new PlatformError("FAILED_PRECONDITION", `Share: ${failures.map((x) => x.reason).join(" ")}`, failures);
            const target = access.rolesIn(principal, community);
            if (!satisfies(SHARE_TARGET_REQUIREMENT, target)) throw access.denied(principal, SHARE_TARGET_REQUIREMENT, community, target.community);
        },
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
    SharedResourceUse: {
        verify({ stmt, views }, spec, project) {
            // The same rule the provider ran in preview, with the facts as stored (checkReferences found the share).
            const { facts, resource } = useSides(stmt, spec, (orgId) => views.organizationName(orgId));
            const failures = useFailures({ ...facts, projectId: project!.id, resourceProjectId: resource?.parent_id ?? undefined });
            if (failures.length) throw new PlatformError("FAILED_PRECONDITION", `SharedResourceUse: ${failures.map((x) => x.reason).join(" ")}`, failures);
        },
        context: (stmt, spec, organizationName) => useSides(stmt, spec, organizationName).facts,
        label(stmt, spec) {
            const { facts } = useSides(stmt, spec, () => undefined);
            return `${facts.resourceName ?? spec.shareId} in ${facts.projectName ?? spec.projectId}`;
        },
    },
};

/** A kind's behaviour, for code over every kind (the specs it is handed passed the kind's schema when written). */
export function behaviourOf(kind: KindName): KindBehaviour | undefined {
    return BEHAVIOURS[kind];
}
