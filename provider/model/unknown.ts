// During `pulumi preview` every value not known yet arrives as this sentinel string, at any depth
// (@pulumi/pulumi runtime/rpc.js `unknownValue`). Rules that meet it cannot decide and must decide again
// at apply time, where the control plane enforces them too.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}
