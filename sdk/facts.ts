// What the generated classes (generated.ts) cannot read from an object's outputs: facts only the program's own
// declarations tell, and the kind of a resource object. The kind declarations name these functions
// (provider/model/kinds.ts: `moreFacts`, `constructed`, `kindField`).
import type * as pulumi from "@pulumi/pulumi";
import { SHAREABLE_KINDS } from "../provider/model/kinds";
import { isRead, platformKindOf } from "./base";
import type { BillingAccount, BillingLink, Community, Project } from "./generated";

/**
 * Communities this program bills, as it declared them (for Project's plan-time check): created with a billing
 * account, or paid for by a BillingLink.
 */
const linkedCommunities = new WeakSet<Community>();

/** BillingLink: the program declared a link for this community. */
export function noteBillingLink(community: Community, _link?: BillingLink): void {
    linkedCommunities.add(community);
}

/** Community: created with this billing account, or with none (the argument is optional). */
export function noteBillingAccount(account: BillingAccount | undefined, community: Community): void {
    if (account) linkedCommunities.add(community);
}

/** The community object each project of this program was created with (for SharedResourceUse's plan-time check). */
const communityOfProject = new WeakMap<Project, Community>();

/** Project: created in this community object. */
export function noteProjectCommunity(community: Community, project: Project): void {
    communityOfProject.set(project, community);
}

/**
 * SharedResourceUse: the name of the project's community, known in preview even when neither that community nor
 * the share's has an id yet, so a project of another community is refused there (rules/shared-use.ts). A project
 * read with `get` has no community object here: its community's id decides, once known.
 */
export function projectCommunityFacts(project: Project): { projectCommunityName?: pulumi.Output<string> } {
    const community = communityOfProject.get(project);
    return community ? { projectCommunityName: community.name } : {};
}

/**
 * Project: a community this program creates needs a billing account (its `billingAccount`, or a BillingLink declared
 * before any project in it), or up would create the project first and fail (rules/billing.ts); the community's
 * name is sent only then, for the message. A community's own account needs no ordering: Pulumi creates the
 * community, with its account, before its projects.
 * A community read with `get` has whatever link the platform has: that is decided at apply time.
 */
export function billingFacts(community: Community): { communityBillingLinked?: boolean; communityName?: pulumi.Output<string> } {
    if (isRead(community)) return {};
    return linkedCommunities.has(community) ? { communityBillingLinked: true } : { communityBillingLinked: false, communityName: community.name };
}

/**
 * Alias: which items pass the same Node object, for check to refuse in preview, before the nodes have ids. Sent
 * only when there is a repeat (every input costs the program memory for the life of the run).
 */
export function repeatedTargets(targets: readonly { node: object }[]): { __repeats?: number[] } {
    if (!Array.isArray(targets)) return {};
    const first = targets.map((target) => targets.findIndex((other) => other?.node === target?.node));
    return first.some((f, i) => f !== i) ? { __repeats: first } : {};
}

/**
 * Share: the kind of the shared resource, whatever it is: a kind that cannot be shared (a Model, say, passed where
 * the types do not reach) is then refused by check, in preview, with the Share's other problems, not by an exception.
 */
export function kindOfResource(resource: object): string {
    const kind = platformKindOf(resource);
    if (kind) return kind;
    const kinds = `${SHAREABLE_KINDS.slice(0, -1).join(", ")} or ${SHAREABLE_KINDS[SHAREABLE_KINDS.length - 1]}`;
    throw new Error(`Share: resource must be a ${kinds} of this package, got ${Object.getPrototypeOf(resource)?.constructor?.name ?? typeof resource}.`);
}
