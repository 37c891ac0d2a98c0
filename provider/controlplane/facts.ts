// The platform's rules at apply time: the facts they need are read from the store here and handed to the pure
// rule functions (rules/), the same ones the provider runs in preview. Every mutation runs them again, whatever
// the caller checked before.
import { PlatformError, subjectOf } from "../model/errors";
import { KindDecl, kindOf, KINDS, referencedIds } from "../model/kinds";
import type { Principal } from "../model/contract";
import { deletionBlocker, Dependent } from "../rules/deletion";
import type { Access } from "./access";
import { behaviourOf } from "./behaviour";
import type { Row, Statements } from "./rows";
import type { Views } from "./views";

export class ApplyTimeRules {
    constructor(private readonly stmt: Statements, private readonly access: Access, private readonly views: Views) {}

    deletionBlockerOf(row: Row): string | undefined {
        const decl = kindOf(row.kind);
        const children = this.stmt.children.all(row.id);
        const dependents = (rows: Row[]): Dependent[] => rows.map((r) => ({ kind: r.kind, label: this.views.labelOf(kindOf(r.kind), r) }));
        // Children that block as their kind declares (shares of a resource) are told apart from contents.
        const blocking = (r: Row) => KINDS[r.kind].blocksDeletion !== undefined;
        const system = children.filter((c) => c.system);
        // The default community goes with its organization, but only if it is empty itself.
        for (const community of system) {
            const blocker = this.deletionBlockerOf({ ...community, system: 0 });
            if (blocker) return `${subjectOf(decl.kind, row.name)} cannot be deleted: ${blocker}`;
        }
        const referrers = this.stmt.referrers.all(row.id);
        return deletionBlocker({
            kind: row.kind,
            label: this.views.labelOf(decl, row),
            children: dependents(children.filter((c) => !blocking(c) && !c.system)),
            referencedBy: dependents([...children.filter(blocking), ...(behaviourOf(row.kind)?.blockingReferrers?.(this.stmt, referrers) ?? referrers)]),
            activated: decl.deletionBlockedWhile !== undefined && JSON.parse(row.spec)[decl.deletionBlockedWhile] === true,
            // Only an organization's default community is made by the platform itself.
            isDefaultCommunity: row.system === 1,
        });
    }

    /** The rules of the object's own kind (behaviour.ts), with the facts they read from the store. */
    checkKindRules(principal: Principal, decl: KindDecl, spec: Readonly<Record<string, unknown>>, parent: Row | undefined, self?: Row): void {
        behaviourOf(decl.kind)?.verify?.({
            stmt: this.stmt, access: this.access, views: this.views, principal,
            subject: subjectOf(decl.kind, spec.name ?? decl.label(spec)),
        }, spec, parent, self);
    }

    /** Every object the spec points at exists, is of a kind the reference allows, is visible, and shares this one's parent where declared. */
    checkReferences(principal: Principal, decl: KindDecl, spec: Readonly<Record<string, unknown>>): void {
        const subject = subjectOf(decl.kind, spec.name ?? decl.label(spec));
        const parentId = decl.parent ? spec[decl.parent.field] : undefined;
        for (const ref of decl.references) {
            const field = ref.path.replace("[]", "");
            for (const id of referencedIds(spec, ref.path)) {
                const target = this.stmt.byId.get(id);
                if (!target || !ref.kinds.includes(target.kind) || !this.access.canSee(principal, target)) {
                    throw new PlatformError("NOT_FOUND", `${subject}: ${field} points at ${id}, which is not an existing ${ref.kinds.join(" or ")} visible to ${principal}. Pass the id of an existing ${ref.kinds.join(" or ")}.`);
                }
                if (ref.sameParent && target.parent_id !== parentId) {
                    const where = decl.parent!.kinds.join(" or ").toLowerCase();
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: ${field} points at ${target.kind} "${target.name}" of another ${where}. Use ${ref.kinds.join(" or ")} objects of the same ${where}.`);
                }
            }
        }
    }
}
