// Who gains or loses what: roles per subject and place (community and project members, organization admins and
// members) and resources shared into communities, each compared before and after the change. A place is named by
// its resource (its URN), so replacing a community is not read as revoking and granting every role in it again.
import { KINDS } from "../model/kinds";
import { ObjectSet, Pointer, urnParts } from "./objects";

export interface Place {
    readonly key: string;
    /** `community research (ru-central1-a)`, `project training in community research`, `organization acme`. */
    readonly label: string;
}

interface Grant {
    readonly subject: string;
    readonly role: string;
    readonly place: Place;
}

export interface RoleChange {
    readonly change: "granted" | "changed" | "revoked";
    readonly subject: string;
    readonly place: Place;
    readonly before?: string;
    readonly after?: string;
}

export interface ShareEdge {
    /** The share's own URN, or the resource's and community's when it is known only by them. */
    readonly key: string;
    readonly resource: string;
    readonly resourceLabel: string;
    /** `project training in community research`. */
    readonly from: string;
    readonly community: string;
    readonly communityLabel: string;
    readonly zone?: string;
}

export interface ShareChange {
    readonly change: "shared" | "unshared";
    readonly share: ShareEdge;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The name of what a pointer points at: the object's logical name, or its URN's, or its id. */
function pointedName(objects: ObjectSet, pointer: Pointer | undefined): string {
    if (!pointer) return "?";
    return objects.get(pointer.urn)?.name ?? (pointer.urn ? urnParts(pointer.urn).name : pointer.id ?? "?");
}

function communityPlace(objects: ObjectSet, pointer: Pointer | undefined, zoneHint?: unknown): Place {
    const community = objects.get(pointer?.urn);
    const zone = str(community?.fields.zone) ?? str(zoneHint);
    return { key: pointer?.urn ?? pointer?.id ?? "?", label: `community ${pointedName(objects, pointer)}${zone ? ` (${zone})` : ""}` };
}

function projectPlace(objects: ObjectSet, pointer: Pointer | undefined): Place {
    const project = objects.get(pointer?.urn);
    const community = project ? objects.parentOf(project) : undefined;
    return {
        key: pointer?.urn ?? pointer?.id ?? "?",
        label: `project ${pointedName(objects, pointer)}${community || project?.facts.communityName ? ` in community ${community ? pointedName(objects, community) : str(project?.facts.communityName)}` : ""}`,
    };
}

/** Every role the objects grant, one per subject and place. */
function grantsOf(objects: ObjectSet): Grant[] {
    const grants: Grant[] = [];
    for (const object of objects.objects) {
        const subject = str(object.fields.subject);
        const role = str(object.fields.role);
        if (object.kind === "CommunityMember" && subject && role) {
            grants.push({ subject, role, place: communityPlace(objects, objects.parentOf(object), object.facts.zone) });
        } else if (object.kind === "ProjectMember" && subject && role) {
            grants.push({ subject, role, place: projectPlace(objects, objects.parentOf(object)) });
        } else if (object.kind === "Organization") {
            const place = { key: object.urn, label: `organization ${object.name}` };
            // An admin who is also listed as a member holds the stronger role: one grant per subject and place.
            const admins = Array.isArray(object.fields.admins) ? object.fields.admins.filter((s): s is string => typeof s === "string") : [];
            const members = Array.isArray(object.fields.members) ? object.fields.members.filter((s): s is string => typeof s === "string") : [];
            for (const s of admins) grants.push({ subject: s, role: "admin", place });
            for (const s of members) if (!admins.includes(s)) grants.push({ subject: s, role: "member", place });
        }
    }
    return grants;
}

/** Roles granted, changed and revoked between two sides of a change, by place and then subject. */
export function roleChanges(before: ObjectSet, after: ObjectSet): RoleChange[] {
    const key = (g: Grant) => `${g.place.key}\u0000${g.subject}`;
    const old = new Map(grantsOf(before).map((g) => [key(g), g]));
    const now = new Map(grantsOf(after).map((g) => [key(g), g]));
    const changes: RoleChange[] = [];
    for (const [k, g] of now) {
        const was = old.get(k);
        if (!was) changes.push({ change: "granted", subject: g.subject, place: g.place, after: g.role });
        else if (was.role !== g.role) changes.push({ change: "changed", subject: g.subject, place: g.place, before: was.role, after: g.role });
    }
    for (const [k, g] of old) if (!now.has(k)) changes.push({ change: "revoked", subject: g.subject, place: g.place, before: g.role });
    return changes.sort((a, b) => a.place.label.localeCompare(b.place.label) || a.subject.localeCompare(b.subject));
}

/** Every share edge the objects hold: which resource, from which project, into which community and zone. */
function sharesOf(objects: ObjectSet): ShareEdge[] {
    return objects.objects.filter((o) => o.kind === "Share").map((share): ShareEdge => {
        const decl = KINDS.Share;
        const resourcePointer = objects.parentOf(share);
        const communityPointer = objects.pointer(share, "communityId", decl.references[0].kinds);
        const resource = objects.get(resourcePointer?.urn);
        const project = resource ? objects.parentOf(resource) : undefined;
        const community = objects.get(communityPointer?.urn);
        const resourceKind = resource?.kind ?? str(share.fields.resourceKind) ?? "resource";
        const resourceName = resource?.name ?? (resourcePointer?.urn ? urnParts(resourcePointer.urn).name : str(share.facts.resourceName) ?? "?");
        return {
            key: share.urn,
            resource: resourcePointer?.urn ?? resourcePointer?.id ?? "?",
            resourceLabel: `${resourceKind} ${resourceName}`,
            from: project ? projectPlace(objects, project).label : `zone ${str(share.facts.resourceZone) ?? "?"}`,
            community: communityPointer?.urn ?? communityPointer?.id ?? "?",
            communityLabel: `community ${community?.name ?? (communityPointer?.urn ? urnParts(communityPointer.urn).name : str(share.facts.communityName) ?? "?")}`,
            zone: str(community?.fields.zone) ?? str(share.facts.communityZone),
        };
    });
}

/** Resources newly shared into a community, and shares that end. Keyed by resource and community, not by the share. */
export function shareChanges(before: ObjectSet, after: ObjectSet): ShareChange[] {
    const key = (s: ShareEdge) => `${s.resource}\u0000${s.community}`;
    const old = new Map(sharesOf(before).map((s) => [key(s), s]));
    const now = new Map(sharesOf(after).map((s) => [key(s), s]));
    const changes: ShareChange[] = [];
    for (const [k, s] of now) if (!old.has(k)) changes.push({ change: "shared", share: s });
    for (const [k, s] of old) if (!now.has(k)) changes.push({ change: "unshared", share: s });
    return changes;
}
