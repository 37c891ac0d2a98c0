// Who manages an object, and whether a request may take over or change one that exists. Pure.
//
// An owner is the URN of the Pulumi resource that manages the object (`urn:pulumi:<stack>::<project>::<type>::<name>`).
// A create that meets an existing object of the same unique key adopts it only when that is safe:
// - the same owner: a rerun after a crash or a lost reply, whose first attempt made the object;
// - no owner, and the request says `adopt: true`: taking over an object made outside any stack, on purpose;
// - another owner, and the request names exactly that owner in `adopt`: taking over what that stack released
//   (it was removed from its state, or retained on delete), on purpose.
// Anything else is refused with ALREADY_EXISTS naming the owner: two stacks never manage one object, so destroying
// one can never delete what the other still manages. Updates and deletes from another stack are refused likewise.

export type Adoption =
    | { readonly ok: true }
    | { readonly ok: false; readonly why: string; readonly fix: string };

export interface AdoptionRequest {
    /** The requesting resource's URN, when the caller says who it is. */
    readonly owner?: string;
    /** `true`: take over an object no stack manages; a URN: take over the object that owner released. */
    readonly adopt?: boolean | string;
    /**
     * Older callers that send no owner: adopt an identical object no stack manages (the behaviour before owners
     * were recorded). Never takes an object with an owner.
     */
    readonly adoptIdentical?: boolean;
}

/** The part of a URN that names the stack (`urn:pulumi:<stack>::<project>`): one stack's resources share it. */
function stackOf(owner: string): string {
    const parts = owner.split("::");
    return parts.length >= 2 ? `${parts[0]}::${parts[1]}` : owner;
}

/** A stack as people name it: `<project>/<stack>`, from an owner URN. */
export function describeOwner(owner: string): string {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::.*::(.+)$/.exec(owner);
    return match ? `resource "${match[3]}" of stack ${match[2]}/${match[1]} (${owner})` : owner;
}

/**
 * May this create take over `existingOwner`'s object (fields aside, which must match too)? `named`: whether the
 * kind has a name the program can change (members, links and shares are unique by what they join instead).
 */
export function mayAdopt(existingOwner: string | null, req: AdoptionRequest, named: boolean): Adoption {
    const another = named ? "choose another name" : "declare it once";
    if (existingOwner !== null) {
        if (req.owner !== undefined && existingOwner === req.owner) return { ok: true };
        if (req.adopt === existingOwner) return { ok: true };
        if (req.owner !== undefined && stackOf(req.owner) === stackOf(existingOwner)) {
            return {
                ok: false,
                why: `${describeOwner(existingOwner)}, another resource of this stack, manages it`,
                fix: `Two resources must never declare one object: ${named ? "give one of them another name" : "remove one of them"}.`,
            };
        }
        return {
            ok: false,
            why: `it is managed by ${describeOwner(existingOwner)}`,
            fix: `Two stacks must never manage one object: ${another}. To move it to this stack, remove it from that stack's state ` +
                `first (pulumi state delete there), then set adopt: "${existingOwner}" on this resource.`,
        };
    }
    if (req.adopt === true || (req.owner === undefined && req.adoptIdentical)) return { ok: true };
    return {
        ok: false,
        why: "it was made outside any stack",
        fix: `${named ? "Choose another name, or set" : "Set"} adopt: true on this resource to take it over (its fields must match the program).`,
    };
}

/**
 * Why the resource `requester` no longer manages an object whose recorded owner is `existingOwner`, if so: another
 * stack took it over with `adopt`. Its refresh, update and delete say so instead of treating it as theirs.
 */
export function takenOver(existingOwner: string | undefined, requester: string | undefined): string | undefined {
    if (existingOwner === undefined || requester === undefined || stackOf(existingOwner) === stackOf(requester)) return undefined;
    return `is now managed by ${describeOwner(existingOwner)} (another stack took it over with adopt); this stack no longer manages it. ` +
        `Remove it from this stack's state (pulumi state delete '${requester}') and from its program.`;
}

/** May `requester` update or delete an object that `existingOwner` manages? Resources of one stack may (a rename keeps its stack). */
export function mayChange(existingOwner: string | null, requester: string | undefined): boolean {
    return existingOwner === null || requester === undefined || stackOf(existingOwner) === stackOf(requester);
}
