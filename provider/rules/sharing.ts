// The platform's sharing rules. Pure: the provider runs them in `check` (plan time) with the facts carried
// as inputs, and the control plane runs them again at apply time with the facts it stores.
import { Failure } from "../model/errors";
import { SHAREABLE_KINDS } from "../model/kinds";
import { containsUnknown } from "../model/unknown";

export interface ShareFacts {
    readonly resourceKind?: unknown;
    readonly resourceName?: unknown;
    readonly resourceZone?: unknown;
    readonly resourceOrganization?: unknown;
    readonly communityName?: unknown;
    readonly communityZone?: unknown;
    readonly communityOrganization?: unknown;
}

/**
 * The two ends of a share as a program names them (`new Share(name, { resource, community })`), and what each
 * field the provider receives says about its end. Failures in preview are reported on `resource` or `community`,
 * never on the fields the SDK derives from them.
 */
export const SHARE_ENDS = {
    resourceId: { end: "resource", fact: "id" },
    resourceKind: { end: "resource", fact: "kind" },
    resourceName: { end: "resource", fact: "name" },
    resourceZone: { end: "resource", fact: "zone" },
    resourceOrganization: { end: "resource", fact: "organization" },
    communityId: { end: "community", fact: "id" },
    communityName: { end: "community", fact: "name" },
    communityZone: { end: "community", fact: "zone" },
    communityOrganization: { end: "community", fact: "organization" },
} as const satisfies Record<string, { end: "resource" | "community"; fact: string }>;
export type ShareField = keyof typeof SHARE_ENDS;

/**
 * A schema failure of a field the SDK derives from `resource` or `community`, told in the words of that argument;
 * undefined for a kind the program gave, which shareFailures refuses naming both ends.
 */
export function tellShareField(failure: Failure, inputs: Record<string, unknown>): Failure | undefined {
    const [head, ...rest] = failure.property.split(".");
    if (head === "resourceKind" && inputs.resourceKind !== undefined) return undefined;
    const end = (SHARE_ENDS as Record<string, { end: string; fact: string }>)[head];
    if (!end) return failure;
    return { property: [end.end, ...rest].join("."), reason: `${end.fact} ${failure.reason}` };
}

const decided = (...values: unknown[]) => values.every((v) => v !== undefined && !containsUnknown(v));

/**
 * Why this share is forbidden, if it is. A fact still unknown in preview leaves its rule undecided;
 * create runs the rule again and the control plane refuses as well. Properties are the share's ends,
 * `resource` and `community`; the reasons name both sides. `hidden(fact)` says a fact's value must not be
 * shown (the program made it secret): it is still compared, and shown as [secret].
 */
export function shareFailures(facts: ShareFacts, hidden: (fact: ShareField) => boolean = () => false): Failure[] {
    const failures: Failure[] = [];
    // A value still unknown in preview is shown as "?", never as Pulumi's sentinel string.
    const shown = (fact: ShareField & keyof ShareFacts, otherwise: string) =>
        hidden(fact) ? "[secret]" : decided(facts[fact]) ? String(facts[fact]) : otherwise;
    const quoted = (fact: ShareField & keyof ShareFacts) => (hidden(fact) ? "[secret]" : `"${shown(fact, "?")}"`);
    const resource = `${shown("resourceKind", "resource")} ${quoted("resourceName")}`;
    const community = `community ${quoted("communityName")}`;
    if (decided(facts.resourceKind) && !(SHAREABLE_KINDS as readonly unknown[]).includes(facts.resourceKind)) {
        failures.push({
            property: "resource",
            reason: `must be a ${SHAREABLE_KINDS.slice(0, -1).join(", ")} or ${SHAREABLE_KINDS[SHAREABLE_KINDS.length - 1]}, got ${resource}. The platform shares only those kinds: pass one of them as resource, or remove this Share.`,
        });
    }
    if (decided(facts.resourceOrganization, facts.communityOrganization) && facts.resourceOrganization !== facts.communityOrganization) {
        const from = quoted("resourceOrganization");
        failures.push({
            property: "community",
            reason: `cannot share ${resource} of organization ${from} into ${community} of organization ${quoted("communityOrganization")}: resources are never shared across organizations. Share into a community of organization ${from}.`,
        });
    }
    if (decided(facts.resourceZone, facts.communityZone) && facts.resourceZone !== facts.communityZone) {
        const from = shown("resourceZone", "?");
        const to = shown("communityZone", "?");
        failures.push({
            property: "community",
            reason: `cannot share ${resource} in zone ${from} into ${community} in zone ${to}: a resource can be shared only into a community of its own availability zone. Share into a community in ${from}, or create the resource in a project of a ${to} community.`,
        });
    }
    return failures;
}
