// Using a shared resource in a project (the platform API's ProjectService.AddResource): a resource published into a
// community can be added to a project of THAT community, and only there. Pure: the provider runs the rule in
// `check` with the facts the SDK reads from the project and the share, and the control plane runs it again at
// apply time with the facts it stores.
import { Failure } from "../model/errors";
import { ContextField, KINDS } from "../model/kinds";
import { containsUnknown } from "../model/unknown";

/** Both sides of a use: the project it is added to, and the share that publishes the resource. */
export interface UseFacts {
    /** The project's name, organization, zone and community (by id once it exists, by name where the program knows it). */
    readonly projectName?: unknown;
    readonly organization?: unknown;
    readonly zone?: unknown;
    readonly projectCommunityId?: unknown;
    readonly projectCommunityName?: unknown;
    /** The shared resource, and the community it is shared into. */
    readonly resourceKind?: unknown;
    readonly resourceName?: unknown;
    readonly shareCommunityId?: unknown;
    readonly communityName?: unknown;
    readonly communityZone?: unknown;
    readonly communityOrganization?: unknown;
    /** Known at apply time only: the project itself, and the project the resource belongs to. */
    readonly projectId?: unknown;
    readonly resourceProjectId?: unknown;
}

const decided = (...values: unknown[]) => values.every((v) => v !== undefined && v !== null && !containsUnknown(v));
const differ = (a: unknown, b: unknown) => decided(a, b) && a !== b;

/**
 * Whether the project's community is another than the one the resource is shared into: by id where both are
 * known (an id never changes; a name may, in the same run), else by name (unique in an organization, and a
 * community has one name); undefined while undecided (in preview, both communities not created yet and the
 * project's read with `get`).
 */
function otherCommunity(f: UseFacts): boolean | undefined {
    if (decided(f.projectCommunityId, f.shareCommunityId)) return f.projectCommunityId !== f.shareCommunityId;
    if (decided(f.projectCommunityName, f.communityName)) return f.projectCommunityName !== f.communityName;
    return undefined;
}

/**
 * Why the project cannot use the shared resource, if it cannot. Failures are on `project` (where the program sends
 * the resource) and name both sides; a fact unknown in preview leaves its rule undecided, and the control plane
 * decides at apply time. `hidden(fact)`: a value the program made secret, compared but shown as [secret].
 */
export function useFailures(f: UseFacts, hidden: (fact: string) => boolean = () => false): Failure[] {
    const shown = (fact: keyof UseFacts) => (hidden(fact) ? "[secret]" : decided(f[fact]) ? String(f[fact]) : "?");
    const quoted = (fact: keyof UseFacts) => (hidden(fact) ? "[secret]" : `"${shown(fact)}"`);
    const resource = `${decided(f.resourceKind) ? shown("resourceKind") : "resource"} ${quoted("resourceName")}`;
    const project = decided(f.projectName) || hidden("projectName") ? `project ${quoted("projectName")}` : "the project";
    const community = `community ${quoted("communityName")}`;
    const elsewhere = `a project of ${community}`;
    const failures: Failure[] = [];
    if (differ(f.organization, f.communityOrganization)) {
        failures.push({
            property: "project",
            reason: `cannot use ${resource} in ${project} of organization ${quoted("organization")}: it is shared into ${community} of organization ${quoted("communityOrganization")}, and resources are never used across organizations. Use it in ${elsewhere}.`,
        });
    }
    if (differ(f.zone, f.communityZone)) {
        failures.push({
            property: "project",
            reason: `cannot use ${resource} in ${project} in zone ${shown("zone")}: it is shared into ${community} in zone ${shown("communityZone")}, and a resource is used only in its own availability zone. Use it in ${elsewhere}.`,
        });
    }
    // Another organization or zone is another community too: said once, by the more telling reason above.
    if (failures.length === 0 && otherCommunity(f)) {
        const own = decided(f.projectCommunityName) || hidden("projectCommunityName") ? `community ${quoted("projectCommunityName")}` : undefined;
        failures.push({
            property: "project",
            reason: `cannot use ${resource} in ${project}${own ? ` of ${own}` : ""}: it is shared into ${community} only, and a project uses only what is shared into its own community. ` +
                `Share it into ${own ?? "the project's community"} as well (another Share), or use it in ${elsewhere}.`,
        });
    }
    if (decided(f.projectId, f.resourceProjectId) && f.projectId === f.resourceProjectId) {
        failures.push({
            property: "project",
            reason: `cannot use ${resource} in ${project}: the resource belongs to that project already, and a project uses its own resources without a share. Remove this SharedResourceUse.`,
        });
    }
    return failures;
}

/**
 * Which argument of the program each fact the SDK derives comes from (`projectName` from `project`, `communityZone`
 * from `share`), read from the kind's declaration; the project's community name comes from the project too.
 */
const FACT_SOURCES: ReadonlyMap<string, { arg: string; output: string }> = (() => {
    const decl = KINDS.SharedResourceUse;
    const sources = new Map<string, { arg: string; output: string }>([["projectCommunityName", { arg: "project", output: "community's name" }]]);
    for (const object of [decl.parent!, ...decl.references]) {
        for (const [fact, output] of Object.entries(object.facts ?? {}) as [ContextField, string][]) sources.set(fact, { arg: object.arg, output });
    }
    return sources;
})();

/** A schema failure of a fact the SDK derives from `project` or `share`, told on that argument. */
export function tellUseField(failure: Failure): Failure {
    const [head, ...rest] = failure.property.split(".");
    const source = FACT_SOURCES.get(head);
    return source ? { property: [source.arg, ...rest].join("."), reason: `${source.output} ${failure.reason}` } : failure;
}
