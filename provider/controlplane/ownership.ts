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
export function stackOf(owner: string): string {
    const parts = owner.split("::");
    return parts.length >= 2 ? `${parts[0]}::${parts[1]}` : owner;
}

/** A stack as people name it: `<project>/<stack>`, from an owner URN. */
export function describeOwner(owner: string): string {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::.*::(.+)$/.exec(owner);
    return match ? `resource "${match[3]}" of stack ${match[2]}/${match[1]} (${owner})` : owner;
}

/** May this create take over `existingOwner`'s object (fields aside, which must match too)? */
export function mayAdopt(existingOwner: string | null, req: AdoptionRequest): Adoption {
    if (existingOwner !== null) {
        if (req.owner !== undefined && existingOwner === req.owner) return { ok: true };
        if (req.adopt === existingOwner) return { ok: true };
        return {
            ok: false,
            why: `it is managed by ${describeOwner(existingOwner)}`,
            fix: "Two stacks must never manage one object: choose another name, or remove it from that stack first " +
                `(pulumi state delete there) and then set adopt: "${existingOwner}" on this resource to take it over.`,
        };
    }
    if (req.adopt === true || (req.owner === undefined && req.adoptIdentical)) return { ok: true };
    return {
        ok: false,
        why: "it was made outside any stack",
        fix: "Choose another name, or set adopt: true on this resource to take it over (its fields must match the program).",
    };
}

/** May `requester` update or delete an object that `existingOwner` manages? Resources of one stack may (a rename keeps its stack). */
export function mayChange(existingOwner: string | null, requester: string | undefined): boolean {
    return existingOwner === null || requester === undefined || stackOf(existingOwner) === stackOf(requester);
}
