// Deletion is blocked, never cascaded: the platform refuses to delete what still holds or serves something,
// and says what blocks it. Pure: the control plane gathers the facts.
import { KIND_NAMES, KindName, KINDS } from "../model/kinds";

export interface Dependent {
    readonly kind: KindName;
    readonly label: string;
}

export interface DeletionFacts {
    readonly kind: KindName;
    readonly label: string;
    /** Objects whose parent this is, except those that block as they declare (shares of a resource). */
    readonly children: readonly Dependent[];
    /** Objects that point at this one (aliases using a node, links to a billing account), and children that block as they declare. */
    readonly referencedBy: readonly Dependent[];
    readonly activated?: boolean;
    readonly isDefaultCommunity?: boolean;
}

/** Memberships and billing links belong to their parent and are removed with it. */
export const REMOVED_WITH_PARENT: readonly KindName[] = KIND_NAMES.filter((k) => KINDS[k].removedWithParent);

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
    const decl = KINDS[f.kind];
    if (decl.goesOnlyWithParent) return `${subject} cannot be removed: ${decl.goesOnlyWithParent}`;
    if (f.activated) {
        return `${subject} cannot be deleted while it is ${decl.deletionBlockedWhile}. Set ${decl.deletionBlockedWhile} to false first.`;
    }
    // Objects whose kind says how they block (shares) come first: the message says what they are.
    const declared = f.referencedBy.filter((d) => KINDS[d.kind].blocksDeletion);
    if (declared.length > 0) {
        const kind = declared[0].kind;
        const blocks = KINDS[kind].blocksDeletion!;
        const same = declared.filter((d) => d.kind === kind);
        const why = KINDS[kind].parent?.kinds.includes(f.kind) ? blocks.ofParent : blocks.ofReferenced;
        return `${subject} cannot be deleted while ${why} (${plural(same.length, blocks.noun)}: ${listed(same)}). Delete the ${blocks.noun}s first.`;
    }
    if (f.referencedBy.length > 0) {
        return `${subject} cannot be deleted while it is used by ${listed(f.referencedBy)}. Remove those references first.`;
    }
    const contents = f.children.filter((c) => !REMOVED_WITH_PARENT.includes(c.kind));
    if (contents.length > 0) {
        return `${subject} cannot be deleted while it contains ${plural(contents.length, "object")} (${listed(contents)}). Delete them first: the platform never deletes contents with their container.`;
    }
    return undefined;
}
