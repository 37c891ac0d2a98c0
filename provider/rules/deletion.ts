// Deletion is blocked, never cascaded: the platform refuses to delete what still holds or serves something,
// and says what blocks it. Pure: the control plane gathers the facts.
import { KindName, KINDS } from "../model/kinds";

export interface Dependent {
    readonly kind: KindName;
    readonly label: string;
}

export interface DeletionFacts {
    readonly kind: KindName;
    readonly label: string;
    /** Objects whose parent this is (memberships and billing links excluded: they go with their parent). */
    readonly children: readonly Dependent[];
    /** Objects that point at this one: shares of it, aliases using a node, links to a billing account. */
    readonly referencedBy: readonly Dependent[];
    readonly activated?: boolean;
    readonly isDefaultCommunity?: boolean;
}

/** Memberships and billing links belong to their parent and are removed with it. */
export const REMOVED_WITH_PARENT: readonly KindName[] = ["CommunityMember", "ProjectMember", "BillingLink"];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function listed(items: readonly Dependent[]): string {
    const shown = items.slice(0, 5).map((d) => `${d.kind} "${d.label}"`).join(", ");
    return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

/** Why this object cannot be deleted now, or undefined when it can. */
export function deletionBlocker(f: DeletionFacts): string | undefined {
    const subject = `${f.kind} "${f.label}"`;
    if (f.isDefaultCommunity) {
        return `${subject} is its organization's default community and cannot be deleted. It is removed together with the organization.`;
    }
    if (KINDS[f.kind].goesOnlyWithParent) {
        return `${subject} cannot be removed: a community's billing link can only be pointed at another active billing account. Change billingAccount instead; deleting the community removes its link.`;
    }
    if (f.activated) {
        return `${subject} cannot be deleted while it is activated. Set activated to false first.`;
    }
    const shares = f.referencedBy.filter((d) => d.kind === "Share");
    if (shares.length > 0 && f.kind === "Community") {
        return `${subject} cannot be deleted while resources are shared into it (${plural(shares.length, "share")}: ${listed(shares)}). Delete the shares first.`;
    }
    if (shares.length > 0) {
        return `${subject} cannot be deleted while it is shared (${plural(shares.length, "share")}: ${listed(shares)}). Delete the shares first.`;
    }
    const users = f.referencedBy.filter((d) => d.kind !== "Share");
    if (users.length > 0) {
        return `${subject} cannot be deleted while it is used by ${listed(users)}. Remove those references first.`;
    }
    const contents = f.children.filter((c) => !REMOVED_WITH_PARENT.includes(c.kind));
    if (contents.length > 0) {
        return `${subject} cannot be deleted while it contains ${plural(contents.length, "object")} (${listed(contents)}). Delete them first: the platform never deletes contents with their container.`;
    }
    return undefined;
}
