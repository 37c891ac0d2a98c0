// What some kinds do beyond storing their fields, declared per kind instead of as `kind === "…"` branches in the
// service: the rules a kind keeps at apply time with facts from the store (a project needs a billed community, a
// share both ends in one organization and zone, a community one billing account: its own or a link's); an
// organization founds its roles and its default community and renames that community with it; a billing account
// takes its links with it; links and shares are named by what they join. Each entry is called by the service at one point of an operation, inside its transaction.
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

/**
 * The billing account that pays for a community: its own `billingAccountId`, else its BillingLink's. A community
 * has one or the other, never both (the Community and BillingLink rules below).
 */
function payingAccountOf(stmt: Statements, community: Row): Row | undefined {
    const own = JSON.parse(community.spec).billingAccountId as string | undefined;
    const link = own === undefined ? stmt.byKey.get("BillingLink", community.id, "billing") : undefined;
    const id = own ?? (link ? (JSON.parse(link.spec).billingAccountId as string) : undefined);
    return id ? stmt.byId.get(id) : undefined;
}

/**
 * A billing account may pay for a community only when it is of the community's organization and active: the rule
 * of a BillingLink and of a community's own billingAccountId alike. `ctx.subject` is what points at the account.
 */
function verifyPayingAccount({ stmt, views, subject }: RuleContext, accountId: string, community: { name: unknown; organizationId: string | null }): void {
    const account = stmt.byId.get(accountId)!; // checkReferences found it
    if (account.organization_id !== community.organizationId) {
        throw new PlatformError("FAILED_PRECONDITION", `${subject}: billing account "${account.name}" belongs to organization "${views.organizationName(account.organization_id)}" but community "${community.name}" to "${views.organizationName(community.organizationId)}". Link an account of the community's organization.`);
    }
    const status = JSON.parse(account.spec).status;
    if (status !== "active") {
        throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId points at billing account "${account.name}", which is ${status}. Link an active billing account.`);
    }
}

const EITHER_OR = "A community is billed either by its own billingAccount or by a BillingLink, never both";

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
         * A billing account is blocked by the communities it pays for through their own billingAccountId (their
         * billing is never removed, only re-pointed), and by links of communities that hold projects; links of empty
         * communities go with the account. So `destroy` works in any order Pulumi picks: a community depends on its
         * own account and goes first; projects depend on their community's link, which depends on the account, and
         * once the projects are gone nothing is billed.
         */
        blockingReferrers: (stmt, referrers) => referrers.filter((r) => r.kind !== "BillingLink" || stmt.children.all(r.parent_id!).some((c) => !KINDS[c.kind].removedWithParent)),
        // Only links go with it: a community pointing at it blocks the deletion instead (above), never goes.
        goesWith: (stmt, account) => stmt.referrers.all(account.id).filter((r) => r.kind === "BillingLink"),
    },
    Community: {
        /**
         * Its own billing account: checked as a link's is when it is set or changed (a change re-points the billing,
         * as a link's update does); refused beside a BillingLink, and never removed (as a link is never removed).
         * An edit that leaves it as it was is never refused because the account was suspended since.
         */
        verify(ctx, spec, organization, self) {
            const before = self ? (JSON.parse(self.spec).billingAccountId as string | undefined) : undefined;
            const after = spec.billingAccountId;
            if (after === before) return;
            const { stmt, subject } = ctx;
            if (after === undefined) {
                const account = stmt.byId.get(before!);
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId cannot be removed, got none for billing account "${account?.name ?? before}". `
                    + "A community's billing account is re-pointed, never removed: keep billingAccount, or point it at another active billing account of the organization; it goes with the community when the community is deleted.");
            }
            const link = self ? stmt.byKey.get("BillingLink", self.id, "billing") : undefined;
            if (link) {
                const linked = stmt.byId.get(JSON.parse(link.spec).billingAccountId);
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId cannot be set, got ${after}: the community is billed by its BillingLink (billing account "${linked?.name}"). `
                    + `${EITHER_OR}: remove billingAccount from the community, and re-point the BillingLink by changing its billingAccount instead.`);
            }
            verifyPayingAccount(ctx, after, { name: spec.name, organizationId: organization!.id });
        },
    },
    Project: {
        verify({ stmt, subject }, _spec, community, self) {
            if (self) return; // the rule guards creation only
            const account = payingAccountOf(stmt, community!);
            const status = account ? JSON.parse(account.spec).status : undefined;
            if (!account || status !== "active") {
                throw new PlatformError("FAILED_PRECONDITION", `${subject}: community "${community!.name}" has no active billing account linked${account ? ` (billing account "${account.name}" is ${status})` : ""}. `
                    + "Create the community with an active billingAccount, or link one with a BillingLink, before creating projects in it.");
            }
        },
    },
    BillingLink: {
        verify(ctx, spec, community) {
            const own = JSON.parse(community!.spec).billingAccountId as string | undefined;
            if (own !== undefined) {
                const account = ctx.stmt.byId.get(own);
                throw new PlatformError("FAILED_PRECONDITION", `${ctx.subject}: community "${community!.name}" is billed by its own billingAccount (billing account "${account?.name ?? own}"), got a BillingLink as well. `
                    + `${EITHER_OR}: remove this BillingLink, and change the community's billingAccount to re-point its billing.`);
            }
            verifyPayingAccount(ctx, spec.billingAccountId, { name: community!.name, organizationId: community!.organization_id });
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
