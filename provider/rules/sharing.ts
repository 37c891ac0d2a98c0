// The platform's sharing rules. Pure: the provider runs them in `check` (plan time) with the facts carried
// as inputs, and the control plane runs them again at apply time with the facts it stores.
import { Failure } from "../model/errors";
import { SHAREABLE_KINDS } from "../model/kinds";
import { containsUnknown } from "../plan/unknown";

export interface ShareFacts {
    readonly resourceKind?: unknown;
    readonly resourceName?: unknown;
    readonly resourceZone?: unknown;
    readonly resourceOrganization?: unknown;
    readonly communityName?: unknown;
    readonly communityZone?: unknown;
    readonly communityOrganization?: unknown;
}

const decided = (...values: unknown[]) => values.every((v) => v !== undefined && !containsUnknown(v));

/**
 * Why this share is forbidden, if it is. A fact still unknown in preview leaves its rule undecided;
 * create runs the rule again and the control plane refuses as well.
 */
export function shareFailures(facts: ShareFacts): Failure[] {
    const failures: Failure[] = [];
    // A name still unknown in preview is shown as "?", never as Pulumi's sentinel string.
    const shown = (value: unknown, otherwise: string) => (decided(value) ? String(value) : otherwise);
    const resource = `${shown(facts.resourceKind, "resource")} "${shown(facts.resourceName, "?")}"`;
    const community = `community "${shown(facts.communityName, "?")}"`;
    if (decided(facts.resourceKind) && !(SHAREABLE_KINDS as readonly unknown[]).includes(facts.resourceKind)) {
        failures.push({
            property: "resourceKind",
            reason: `${String(facts.resourceKind)} cannot be shared: the platform shares only ${SHAREABLE_KINDS.join(", ")}. Remove this Share.`,
        });
    }
    if (decided(facts.resourceOrganization, facts.communityOrganization) && facts.resourceOrganization !== facts.communityOrganization) {
        failures.push({
            property: "communityOrganization",
            reason: `cannot share ${resource} of organization "${String(facts.resourceOrganization)}" into ${community} of organization "${String(facts.communityOrganization)}": resources are never shared across organizations. Share into a community of organization "${String(facts.resourceOrganization)}".`,
        });
    }
    if (decided(facts.resourceZone, facts.communityZone) && facts.resourceZone !== facts.communityZone) {
        failures.push({
            property: "communityZone",
            reason: `cannot share ${resource} in zone ${String(facts.resourceZone)} into ${community} in zone ${String(facts.communityZone)}: a resource can be shared only into a community of its own availability zone. Share into a community in ${String(facts.resourceZone)}, or create the resource in a project of a ${String(facts.communityZone)} community.`,
        });
    }
    return failures;
}
