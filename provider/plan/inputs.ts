// The shape of a resource's inputs as the dynamic provider sees them: the kind's spec fields, its plan-time
// context, and a few provider-internal keys (prefixed `__`, like Pulumi's own `__provider`).
import { KindDecl } from "../model/kinds";

export const PROVIDER_KEY = "__provider";
/** The Pulumi resource name, passed by the SDK because check/create get no URN; seeds autonaming. */
export const LOGICAL_NAME_KEY = "__logicalName";
/** True when the provider chose `name`; then a replacement gets a fresh name instead of deleting first. */
export const AUTONAMED_KEY = "__autonamed";
/** Keyed digests of secret fields as stored by the control plane: refresh notices a changed secret. */
export const SECRET_DIGESTS_KEY = "__secretDigests";

/** The output holding what the platform decided about an object: the PLATFORM_FIELDS and a kind's extras. */
export const PLATFORM_KEY = "platform";
export const PLATFORM_FIELDS = ["organizationId", "zone", "version", "createdAt", "updatedAt", "createdBy"] as const;

export const INTERNAL_KEYS = [PROVIDER_KEY, LOGICAL_NAME_KEY, AUTONAMED_KEY, SECRET_DIGESTS_KEY] as const;

/** Only the fields the control plane stores. */
export function specOf(decl: KindDecl, inputs: Record<string, unknown>): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    for (const key of Object.keys(decl.spec.shape)) {
        const value = inputs[key];
        if (value !== undefined && value !== null) spec[key] = value;
    }
    return spec;
}
