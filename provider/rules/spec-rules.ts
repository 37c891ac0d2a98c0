// Rules across fields of one object. Pure, and skipped where a value is still unknown in preview.
import { Failure } from "../model/errors";
import { KindName } from "../model/kinds";
import { containsUnknown } from "../plan/unknown";

type Rule = (spec: Record<string, any>) => Failure[];

const duplicates = (values: readonly unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);

const RULES: Partial<Record<KindName, Rule>> = {
    Organization: (s) => {
        const all = [...(Array.isArray(s.admins) ? s.admins : []), ...(Array.isArray(s.members) ? s.members : [])];
        const dup = duplicates(all.filter((x) => !containsUnknown(x)));
        return dup.length ? [{ property: "members", reason: `lists ${JSON.stringify(dup[0])} more than once (admins and members together). List each subject once; admins are members already.` }] : [];
    },
    Node: (s) => {
        if (containsUnknown(s.image) || containsUnknown(s.modelId)) return [];
        const set = [s.image, s.modelId].filter((v) => v !== undefined && v !== null).length;
        return set === 1 ? [] : [{
            property: set === 0 ? "image" : "modelId",
            reason: set === 0
                ? "is required unless modelId is set, got nothing. Set exactly one of image (a Docker image reference) or modelId (a Model's id)."
                : "cannot be set together with image. Set exactly one of image or modelId.",
        }];
    },
    Alias: (s) => {
        if (!Array.isArray(s.nodes) || containsUnknown(s.nodes)) return [];
        const dup = duplicates(s.nodes.map((n: any) => n?.nodeId));
        return dup.length ? [{ property: "nodes", reason: `lists node ${JSON.stringify(dup[0])} more than once. List each node once and give it the combined weight.` }] : [];
    },
};

export function specRuleFailures(kind: KindName, spec: Record<string, any>): Failure[] {
    return RULES[kind]?.(spec) ?? [];
}
