// The shape of a resource's inputs as the dynamic provider sees them: the kind's spec fields, its plan-time
// context, and a few provider-internal keys (prefixed `__`, like Pulumi's own `__provider`).
import { KindDecl } from "./kinds";
import { UNKNOWN } from "./unknown";

export const PROVIDER_KEY = "__provider";
/** The Pulumi resource name, sent by older SDKs as an input (check/create get no URN); read from OWNER_KEY since. */
export const LOGICAL_NAME_KEY = "__logicalName";
/** True when the provider chose `name` (plan/names.ts): kept across updates, decided anew for a replacement. */
export const AUTONAMED_KEY = "__autonamed";
/** Keyed digests of secret fields as stored by the control plane: refresh notices a changed secret. */
export const SECRET_DIGESTS_KEY = "__secretDigests";
/**
 * Who manages the object: the resource's URN, which names the stack. The control plane records it, adopts an
 * existing object only for the same owner (a rerun after a crash), and refuses objects another stack manages.
 * It also seeds the autonamed suffix, so a name is the same in preview, in up and in a rerun.
 */
export const OWNER_KEY = "__owner";
/** The program's `adopt` option: take over an existing object no stack manages (true) or one the named owner released. */
export const ADOPT_KEY = "__adopt";
/** Top-level inputs that arrived secret (the host hands check plain values): never shown in a failure. */
export const SECRET_INPUTS_KEY = "__secretInputs";
/**
 * Where a list of objects passed by the program (an alias's nodes) names one object twice, known before their ids
 * are: for each item, the index of the first item with the same object. Sent only when there is a repeat.
 */
export const REPEATS_KEY = "__repeats";
/**
 * The control plane the object lives on, `{ id, location }`, decided in check: the engine hands check the old
 * INPUTS, so this is how a later check knows where the stack's objects are, and refuses another control plane.
 */
export const HOME_KEY = "__controlPlane";

/** The output holding what the platform decided about an object: the PLATFORM_FIELDS and a kind's extras. */
export const PLATFORM_KEY = "platform";
export const PLATFORM_FIELDS = ["organizationId", "zone", "version", "createdAt", "updatedAt", "createdBy"] as const;

export const INTERNAL_KEYS = [PROVIDER_KEY, LOGICAL_NAME_KEY, AUTONAMED_KEY, SECRET_DIGESTS_KEY, OWNER_KEY, ADOPT_KEY, SECRET_INPUTS_KEY, REPEATS_KEY, HOME_KEY] as const;

/** The Pulumi resource name: sent by older SDKs as its own input, read from the owner URN's last part since. */
export function logicalNameOf(inputs: Record<string, unknown>): string | undefined {
    const given = inputs[LOGICAL_NAME_KEY];
    if (typeof given === "string") return given;
    const owner = inputs[OWNER_KEY];
    return typeof owner === "string" && owner.includes("::") && !owner.includes(UNKNOWN) ? owner.slice(owner.lastIndexOf("::") + 2) : undefined;
}

/** The spec fields, besides the kind's own secret ones, that the program passed as secrets (SECRET_INPUTS_KEY). */
export function programSecretFields(decl: KindDecl, inputs: Record<string, unknown>): string[] {
    const listed = inputs[SECRET_INPUTS_KEY];
    if (!Array.isArray(listed)) return [];
    return listed.filter((field): field is string => typeof field === "string" && field in decl.spec.shape && !decl.secrets.includes(field));
}

/** Only the fields the control plane stores. */
export function specOf(decl: KindDecl, inputs: Record<string, unknown>): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    for (const key of Object.keys(decl.spec.shape)) {
        const value = inputs[key];
        if (value !== undefined && value !== null) spec[key] = value;
    }
    return spec;
}
