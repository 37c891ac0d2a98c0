// Rules across fields of one object, used by the kinds' entries in kind-rules.ts. Pure. A value unknown in preview counts as set (it will hold something);
// what is known is checked, and only comparisons with the unknown value itself are left undecided.
import { REPEATS_KEY } from "../model/inputs";
import { Failure, showValue } from "../model/errors";
import { isUnknown } from "../model/unknown";

/** `hidden(field)`: the field's value must not be shown (a declared secret, or an input the program made secret). */
type Rule = (spec: Readonly<Record<string, unknown>>, hidden: (field: string) => boolean) => Failure[];

/** Set: given and not null. A value unknown in preview is set. */
const isSet = (value: unknown) => value !== undefined && value !== null;

/** Values decided in preview that can be compared: known strings. */
const comparable = (value: unknown): value is string => typeof value === "string" && !isUnknown(value);

/** Every repeat of an earlier entry, with where the entry first appears. */
function repeats(entries: readonly { at: string; value: unknown }[]): { at: string; first: string; value: string }[] {
    const seen = new Map<string, string>();
    const found: { at: string; first: string; value: string }[] = [];
    for (const { at, value } of entries) {
        if (!comparable(value)) continue;
        const first = seen.get(value);
        if (first === undefined) seen.set(value, at);
        else found.push({ at, first, value });
    }
    return found;
}

const listed = (value: unknown, field: string) =>
    (Array.isArray(value) ? value : []).map((item, i) => ({ at: `${field}.${i}`, item }));

/** An organization lists each subject once among its admins and members. */
export const organizationSubjectFailures: Rule = (s, hidden) => {
    const entries = [...listed(s.admins, "admins"), ...listed(s.members, "members")].map(({ at, item }) => ({ at, value: item }));
    const secret = hidden("admins") || hidden("members");
    return repeats(entries).map(({ at, first, value }) => ({
        property: at,
        reason: `repeats the subject of ${first}, got ${showValue(value, secret)}. List each subject once; admins are members already.`,
    }));
};

/** A node serves exactly one of an image and a model. */
export const nodeSourceFailures: Rule = (s) => {
    const set = [s.image, s.modelId].filter(isSet).length;
    if (set === 1) return [];
    return [set === 0
        ? {
            property: "image",
            reason: "is required unless model is set, got nothing. Set exactly one of image (a Docker image reference) or model (a Model).",
        }
        : { property: "modelId", reason: "cannot be set together with image. Set exactly one of image or model." }];
};

/** An alias lists each node once, by id or, before ids are known, by the same Node object. */
export const aliasTargetFailures: Rule = (s, hidden) => {
    const entries = listed(s.nodes, "nodes").map(({ at, item }) => ({ at, value: item !== null && typeof item === "object" ? item.nodeId : undefined }));
    const byId = repeats(entries).map(({ at, first, value }) => ({
        property: at,
        reason: `repeats the node of ${first}, got ${showValue(value, hidden("nodes"))}. List each node once and give it the combined weight.`,
    }));
    // Nodes created in the same program have no ids in preview; the SDK says which items pass the same Node.
    const sameObject = Array.isArray(s[REPEATS_KEY]) ? (s[REPEATS_KEY] as unknown[]) : [];
    const byObject = sameObject.flatMap((first, i) => {
        const at = `nodes.${i}`;
        if (typeof first !== "number" || first === i || byId.some((f) => f.property === at)) return [];
        return [{ property: at, reason: `repeats the node of nodes.${first}, got the same Node resource. List each node once and give it the combined weight.` }];
    });
    return [...byId, ...byObject];
};
