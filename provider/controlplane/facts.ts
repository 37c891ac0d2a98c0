// The platform's rules at apply time: the facts they need are read from the store here and handed to the pure
// rule functions (rules/), the same ones the provider runs in preview. Every mutation runs them again, whatever
// the caller checked before.
import { PlatformError, subjectOf } from "../model/errors";
import { KindDecl, kindOf, referencedIds } from "../model/kinds";
import type { Principal } from "../model/contract";
import { deletionBlocker, Dependent } from "../rules/deletion";
import { satisfies, SHARE_TARGET_REQUIREMENT } from "../rules/roles";
import { shareFailures } from "../rules/sharing";
import type { Access } from "./access";
import type { Row, Statements } from "./rows";
import type { Views } from "./views";

export class ApplyTimeRules {
    constructor(private readonly stmt: Statements, private readonly access: Access, private readonly views: Views) {}

    deletionBlockerOf(row: Row): string | undefined {
        const decl = kindOf(row.kind);
        const children = this.stmt.children.all(row.id);
        const dependents = (rows: Row[]): Dependent[] => rows.map((r) => ({ kind: r.kind, label: this.views.labelOf(kindOf(r.kind), r) }));
        const shares = children.filter((c) => c.kind === "Share");
        const system = children.filter((c) => c.system);
        // The default community goes with its organization, but only if it is empty itself.
        for (const community of system) {
            const blocker = this.deletionBlockerOf({ ...community, system: 0 });
            if (blocker) return `${subjectOf(decl.kind, row.name)} cannot be deleted: ${blocker}`;
        }
        return deletionBlocker({
            kind: row.kind,
            label: this.views.labelOf(decl, row),
            children: dependents(children.filter((c) => c.kind !== "Share" && !c.system)),
            referencedBy: dependents([...shares, ...this.blockingReferrers(row)]),
            activated: decl.deletionBlockedWhile !== undefined && JSON.parse(row.spec)[decl.deletionBlockedWhile] === true,
            isDefaultCommunity: row.kind === "Community" && row.system === 1,
        });
    }

    /**
     * What points at this object and blocks its deletion. A billing account is blocked only by links of
     * communities that hold projects (it pays for them); links of empty communities go with the account. So
     * `destroy` works in any order Pulumi picks: projects depend on their community's link, which depends on
     * the account, and once the projects are gone nothing is billed.
     */
    blockingReferrers(row: Row): Row[] {
        const referrers = this.stmt.referrers.all(row.id);
        if (row.kind !== "BillingAccount") return referrers;
        return referrers.filter((link) => this.stmt.children.all(link.parent_id!).some((c) => c.kind === "Project"));
    }

    checkKindRules(principal: Principal, decl: KindDecl, spec: Record<string, any>, parent: Row | undefined, self?: Row): void {
        const subject = subjectOf(decl.kind, spec.name ?? decl.label(spec));
        switch (decl.kind) {
            case "Project": {
                if (self) return; // the rule guards creation only
                const link = this.stmt.byKey.get("BillingLink", parent!.id, "billing");
                const account = link ? this.stmt.byId.get(JSON.parse(link.spec).billingAccountId) : undefined;
                if (!account || JSON.parse(account.spec).status !== "active") {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: community "${parent!.name}" has no active billing account linked${account ? ` (billing account "${account.name}" is ${JSON.parse(account.spec).status})` : ""}. Link an active account with a BillingLink before creating projects in it.`);
                }
                return;
            }
            case "BillingLink": {
                const account = this.stmt.byId.get(spec.billingAccountId)!;
                if (account.organization_id !== parent!.organization_id) {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: billing account "${account.name}" belongs to organization "${this.views.organizationName(account.organization_id)}" but community "${parent!.name}" to "${this.views.organizationName(parent!.organization_id)}". Link an account of the community's organization.`);
                }
                const status = JSON.parse(account.spec).status;
                if (status !== "active") {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId points at billing account "${account.name}", which is ${status}. Link an active billing account.`);
                }
                return;
            }
            case "Share": {
                const community = this.stmt.byId.get(spec.communityId)!;
                if (parent!.kind !== spec.resourceKind) {
                    throw new PlatformError("INVALID_ARGUMENT", `Share: resourceKind is ${spec.resourceKind} but resourceId ${parent!.id} is a ${parent!.kind}. Pass the resource itself.`);
                }
                const failures = shareFailures({
                    resourceKind: parent!.kind, resourceName: parent!.name, resourceZone: parent!.zone,
                    resourceOrganization: this.views.organizationName(parent!.organization_id),
                    communityName: community.name, communityZone: community.zone,
                    communityOrganization: this.views.organizationName(community.organization_id),
                });
                if (failures.length) throw new PlatformError("FAILED_PRECONDITION", `Share: ${failures.map((x) => x.reason).join(" ")}`, failures);
                const target = this.access.rolesIn(principal, community);
                if (!satisfies(SHARE_TARGET_REQUIREMENT, target)) throw this.access.denied(principal, SHARE_TARGET_REQUIREMENT, community, target.community);
                return;
            }
            case "Alias":
            case "Node": {
                const projectId = spec.projectId;
                for (const ref of decl.references) {
                    for (const id of referencedIds(spec, ref.path)) {
                        const target = this.stmt.byId.get(id)!;
                        if (target.parent_id !== projectId) {
                            throw new PlatformError("FAILED_PRECONDITION", `${subject}: ${ref.path.replace("[]", "")} points at ${target.kind} "${target.name}" of another project. Use ${ref.kinds.join(" or ")} objects of the same project.`);
                        }
                    }
                }
                return;
            }
            default:
                return;
        }
    }

    checkReferences(principal: Principal, decl: KindDecl, spec: Record<string, any>): void {
        for (const ref of decl.references) {
            for (const id of referencedIds(spec, ref.path)) {
                const target = this.stmt.byId.get(id);
                if (!target || !ref.kinds.includes(target.kind) || !this.access.canSee(principal, target)) {
                    throw new PlatformError("NOT_FOUND", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: ${ref.path.replace("[]", "")} points at ${id}, which is not an existing ${ref.kinds.join(" or ")} visible to ${principal}. Pass the id of an existing ${ref.kinds.join(" or ")}.`);
                }
            }
        }
    }
}
