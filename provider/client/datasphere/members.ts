// One subject's role in a community or a project, through access-binding deltas: UpdateAccessBindings with ADD and
// REMOVE of that subject's bindings only, never SetAccessBindings, which replaces everyone's. Read through
// ListAccessBindings, every page. The platform lets a subject hold several of the four roles; the provider's model
// is one role per member, so a read reports the highest, and writing the member's role removes the others.
import type { CreateRequest, DeleteRequest, PlatformObject, UpdateRequest } from "../../model/contract";
import { PlatformError } from "../../model/errors";
import type { Directory } from "./directory";
import { Attempt } from "./errors";
import { memberId, parseMemberId, platformObject, Role, ROLE_IDS, ROLE_ORDER, roleOfId, subjectOf } from "./mapping";
import * as crypto from "crypto";

type MemberKind = "CommunityMember" | "ProjectMember";
const ADD = 1; // AccessBindingAction.ADD
const REMOVE = 2; // AccessBindingAction.REMOVE

/** Where the member's bindings live: the community's service or the project's. */
function target(dir: Directory, kind: MemberKind) {
    return kind === "CommunityMember"
        ? { field: "communityId", service: dir.transport.communities, name: "CommunityService" }
        : { field: "projectId", service: dir.transport.projects, name: "ProjectService" };
}

/** The roles of the four this subject holds on the resource, lowest first. */
async function rolesHeld(dir: Directory, kind: MemberKind, resourceId: string, subject: string, at: Attempt): Promise<Role[]> {
    const t = target(dir, kind);
    const { type, id } = subjectOf(subject);
    const bindings = await dir.all(async (pageToken) => {
        const r = await dir.read(`${t.name}.ListAccessBindings`, at, (o) => t.service.listAccessBindings({ resourceId, pageSize: 1000, pageToken }, o));
        return { items: r.accessBindings, next: r.nextPageToken };
    });
    const held = new Set<Role>();
    for (const b of bindings) {
        if (b.subject?.id !== id || b.subject?.type !== type) continue;
        const role = roleOfId(kind, b.roleId);
        if (role) held.add(role);
    }
    return ROLE_ORDER.filter((r) => held.has(r));
}

async function memberObject(dir: Directory, kind: MemberKind, resourceId: string, subject: string, role: Role, at: Attempt): Promise<PlatformObject> {
    const communityId = kind === "CommunityMember" ? resourceId : await dir.projectCommunity(resourceId, at);
    const placement = await dir.placement(communityId, at);
    const organization = await dir.organizationName(placement.organizationId);
    return platformObject(kind, memberId(resourceId, subject), { [target(dir, kind).field]: resourceId, subject, role },
        { organizationId: placement.organizationId, zone: placement.zone, context: { organization } });
}

/** Gives the subject exactly `role` of the four: one call with the deltas, none when it holds just that. */
async function grant(dir: Directory, kind: MemberKind, resourceId: string, subject: string, role: Role, held: readonly Role[], at: Attempt): Promise<void> {
    const deltas = [
        ...held.filter((r) => r !== role).map((r) => ({ action: REMOVE, accessBinding: { roleId: ROLE_IDS[kind][r], subject: subjectOf(subject) } })),
        ...(held.includes(role) ? [] : [{ action: ADD, accessBinding: { roleId: ROLE_IDS[kind][role], subject: subjectOf(subject) } }]),
    ];
    if (deltas.length === 0) return;
    const t = target(dir, kind);
    // Deltas are idempotent by nature (adding a binding that is there changes nothing): a fresh key per call, kept
    // across its retries, rather than one a stale operation could answer (keys.ts).
    await dir.mutate(`${t.name}.UpdateAccessBindings`, at, crypto.randomUUID(), (o) => t.service.updateAccessBindings({ resourceId, accessBindingDeltas: deltas }, o));
}

export async function getMember(dir: Directory, kind: MemberKind, id: string): Promise<PlatformObject> {
    const { resourceId, subject } = parseMemberId(kind, id);
    const at: Attempt = { kind, name: subject, action: "read" };
    const held = await rolesHeld(dir, kind, resourceId, subject, at);
    if (held.length === 0) throw new PlatformError("NOT_FOUND", `${kind} ${subject}: holds none of the ${kind === "CommunityMember" ? "community" : "project"} roles on ${resourceId} any more.`);
    return memberObject(dir, kind, resourceId, subject, held[held.length - 1], at);
}

export async function createMember(dir: Directory, kind: MemberKind, req: CreateRequest): Promise<PlatformObject> {
    const spec = req.spec as { subject: string; role: Role } & Record<string, string>;
    const resourceId = spec[target(dir, kind).field];
    const at: Attempt = { kind, name: spec.subject, action: "create" };
    const held = await rolesHeld(dir, kind, resourceId, spec.subject, at);
    const adopting = req.adopt !== undefined && req.adopt !== null && req.adopt !== false;
    // A role given elsewhere is someone else's decision: taken over only when it is the same or the program says so.
    if (held.length && !(held.length === 1 && held[0] === spec.role) && !adopting) {
        throw new PlatformError("ALREADY_EXISTS", `${kind} ${spec.subject}: already holds ${held.map((r) => ROLE_IDS[kind][r]).join(", ")} on ${resourceId}, given outside this resource, `
            + `got role ${spec.role}. Take the membership over with the resource option \`adopt: true\` (its other roles are then removed), or remove the role first.`);
    }
    await grant(dir, kind, resourceId, spec.subject, spec.role, held, at);
    return memberObject(dir, kind, resourceId, spec.subject, spec.role, at);
}

export async function updateMember(dir: Directory, kind: MemberKind, req: UpdateRequest): Promise<PlatformObject> {
    const { resourceId, subject } = parseMemberId(kind, req.id);
    const at: Attempt = { kind, name: subject, action: "update" };
    for (const field of [target(dir, kind).field, "subject"]) {
        if (field in req.patch) throw new PlatformError("FAILED_PRECONDITION", `${kind} ${subject}: ${field} can never change, got ${JSON.stringify(req.patch[field])}. Declare a new member instead.`);
    }
    const held = await rolesHeld(dir, kind, resourceId, subject, at);
    const role = (req.patch.role as Role | undefined) ?? held[held.length - 1];
    if (!role) throw new PlatformError("NOT_FOUND", `${kind} ${subject}: holds no role on ${resourceId} any more. Run pulumi refresh, then pulumi up.`);
    await grant(dir, kind, resourceId, subject, role, held, at);
    return memberObject(dir, kind, resourceId, subject, role, at);
}

export async function deleteMember(dir: Directory, kind: MemberKind, req: DeleteRequest): Promise<void> {
    const { resourceId, subject } = parseMemberId(kind, req.id);
    const at: Attempt = { kind, name: subject, action: "delete" };
    const held = await rolesHeld(dir, kind, resourceId, subject, at);
    if (held.length === 0) return;
    const t = target(dir, kind);
    const deltas = held.map((r) => ({ action: REMOVE, accessBinding: { roleId: ROLE_IDS[kind][r], subject: subjectOf(subject) } }));
    await dir.mutate(`${t.name}.UpdateAccessBindings`, at, crypto.randomUUID(), (o) => t.service.updateAccessBindings({ resourceId, accessBindingDeltas: deltas }, o));
}
