// Communities and projects: created, read, updated through an update mask of only what differs, deleted.
//
// A crash between the platform creating a community and Pulumi recording it must not leave a second one after
// the rerun, and the platform has no owner field. So the provider labels what it creates with a digest of the
// resource's URN (mapping.ts, OWNER_LABEL), and before creating it looks for a same-named object with its own
// label: found, it is taken over and brought to what the program says. The create call also carries an
// idempotency key made from the owner and the fields, so a rerun within the platform's retention of keys gets
// the first operation back even before the object is listable.
import { Community as CommunityMessage } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community";
import { CreateCommunityMetadata, ListCommunitiesRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { Project as ProjectMessage, Project_Limits, Project_Settings } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project";
import { CreateProjectMetadata, ListProjectsRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";
import type { Community } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community";
import type { Project } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project";
import type { CreateRequest, DeleteRequest, PlatformObject, UpdateRequest } from "../../model/contract";
import { isPlatformError, PlatformError, subjectOf } from "../../model/errors";
import type { Directory } from "./directory";
import { Attempt } from "./errors";
import { freshKey, keyOf } from "./keys";
import {
    applyPatch, labelsToKeep, labelsWithOwner, limitsFromApi, limitsToApi, OWNER_LABEL, ownerLabelValue, platformObject, programLabels, settingsFromApi,
    settingsToApi, updateMask,
} from "./mapping";
import { unpack } from "./operations";
import * as crypto from "crypto";

type Spec = Record<string, any>;
// mapping.ts builds these from plain values (it loads no SDK); fromPartial fills in what it leaves out.
type ApiSettings = Parameters<typeof Project_Settings.fromPartial>[0];
type ApiLimits = Parameters<typeof Project_Limits.fromPartial>[0];

// ---- Community ----

export async function communityObject(dir: Directory, c: Community): Promise<PlatformObject> {
    const organization = await dir.organizationName(c.organizationId);
    return platformObject("Community", c.id, {
        organizationId: c.organizationId, name: c.name, description: c.description, labels: programLabels(c.labels), zone: c.zoneId,
    }, { organizationId: c.organizationId, zone: c.zoneId, createdAt: c.createdAt, createdBy: c.createdById, context: { organization } });
}

export async function getCommunity(dir: Directory, id: string): Promise<PlatformObject> {
    return communityObject(dir, await dir.community(id, { kind: "Community", name: id, action: "read" }));
}

/** Communities of the organization with exactly this name (the API filters by a pattern on name or description). */
async function communitiesNamed(dir: Directory, organizationId: string, name: string, at: Attempt): Promise<Community[]> {
    const all = await dir.all(async (pageToken) => {
        const r = await dir.read("CommunityService.List", { ...at, action: "look up" }, (o) => dir.transport.communities.list(ListCommunitiesRequest.fromPartial({ organizationId, nameOrDescriptionPattern: name, pageSize: 100, pageToken }), o));
        return { items: r.communities, next: r.nextPageToken };
    });
    return all.filter((c) => c.name === name);
}

/** Of same-named objects, the one this resource made, or one the program adopts; another is refused. */
function choose<T extends { id: string; labels: Record<string, string> }>(found: T[], req: CreateRequest, what: string, where: string): T | undefined {
    if (found.length === 0) return undefined;
    const mark = req.owner ? ownerLabelValue(req.owner) : undefined;
    const mine = mark ? found.find((o) => o.labels[OWNER_LABEL] === mark) : undefined;
    if (mine) return mine;
    const unowned = found.filter((o) => !o.labels[OWNER_LABEL]);
    if (req.adopt !== undefined && req.adopt !== null && req.adopt !== false && unowned.length === 1) return unowned[0];
    const other = found[0];
    const managed = other.labels[OWNER_LABEL] ? "it carries another Pulumi resource's owner label, so another stack (or resource) manages it" : "no Pulumi resource of the provider made it";
    throw new PlatformError("ALREADY_EXISTS", `${what} already exists ${where} (id ${other.id}): ${managed}, so it was not taken over. `
        + (other.labels[OWNER_LABEL] ? "Give this resource another name." : "Give this resource another name, or take the existing one over with the resource option `adopt: true`."));
}

export async function createCommunity(dir: Directory, req: CreateRequest): Promise<PlatformObject> {
    const spec = req.spec as Spec;
    const what = subjectOf("Community", spec.name);
    const at: Attempt = { kind: "Community", name: spec.name, action: "create" };
    const existing = choose(await communitiesNamed(dir, spec.organizationId, spec.name, at), req, what, `in organization ${spec.organizationId}`);
    if (existing) {
        if (existing.zoneId !== spec.zone) {
            throw new PlatformError("FAILED_PRECONDITION", `${what} exists already (id ${existing.id}) in zone ${existing.zoneId}, got zone ${spec.zone}. A community's zone never changes: give this resource another name, or set zone to ${existing.zoneId}.`);
        }
        return updateCommunity(dir, { kind: "Community", id: existing.id, patch: { description: spec.description ?? null, labels: spec.labels ?? null, name: spec.name }, owner: req.owner ?? undefined });
    }
    const key = keyOf(req.idempotencyKey ?? crypto.randomUUID(), "CommunityService.Create");
    const send = (k: string) => dir.mutate("CommunityService.Create", at, k, (o) => dir.transport.communities.create({
        name: spec.name,
        description: spec.description ?? "",
        organizationId: spec.organizationId,
        // Only here can a community get its billing account (reference §1.3); it is never read back or changed
        // (backends.ts: createOnly, so refresh keeps the state's value and a change fails in preview).
        billingAccountId: typeof spec.billingAccountId === "string" ? spec.billingAccountId : "",
        labels: labelsWithOwner(spec.labels, req.owner ?? undefined, what),
        zoneId: spec.zone,
    }, o));
    let op = await send(key);
    for (let tries = 0; ; tries++) {
        const id = unpack(op.response, "yandex.cloud.datasphere.v2.Community", CommunityMessage)?.id
            || unpack(op.metadata, "yandex.cloud.datasphere.v2.CreateCommunityMetadata", CreateCommunityMetadata)?.communityId
            || (req.owner ? choose(await communitiesNamed(dir, spec.organizationId, spec.name, at), { ...req, adopt: false }, what, "")?.id : undefined);
        if (!id) throw new PlatformError("INTERNAL", `${what}: DataSphere's operation ${op.id} finished but names no community, and none named ${spec.name} is found. Run pulumi refresh, then pulumi up.`);
        try {
            return await getCommunity(dir, id);
        } catch (e) {
            // The key was answered with an earlier operation whose community is gone since (keys outlive objects):
            // create anew, once, with a key of its own.
            if (!isPlatformError(e, "NOT_FOUND") || tries > 0) throw e;
            op = await send(freshKey(key, op.id));
        }
    }
}

export async function updateCommunity(dir: Directory, req: UpdateRequest): Promise<PlatformObject> {
    const at: Attempt = { kind: "Community", name: String(req.patch.name ?? req.id), action: "update" };
    const current = await dir.community(req.id, at);
    const now = await communityObject(dir, current);
    for (const field of ["organizationId", "zone"]) {
        if (field in req.patch && req.patch[field] !== now.spec[field]) {
            throw new PlatformError("FAILED_PRECONDITION", `${subjectOf("Community", now.spec.name)}: ${field} can never change on DataSphere, got ${JSON.stringify(req.patch[field])} for ${JSON.stringify(now.spec[field])}. Create a new community instead.`);
        }
    }
    // Refused in preview already (backends.ts); a caller that skips the check must not think the platform took it.
    if ("billingAccountId" in req.patch) {
        throw new PlatformError("FAILED_PRECONDITION", `${subjectOf("Community", now.spec.name)}: billingAccountId cannot change on DataSphere, got ${JSON.stringify(req.patch.billingAccountId)}: `
            + "the API sets a community's billing account only when it is created. Put the old value back; link the community to another account in the DataSphere UI.");
    }
    const desired = applyPatch(now.spec, req.patch);
    const paths = updateMask(now.spec, desired, ["name", "description", "labels"]);
    const owner = typeof req.owner === "string" ? req.owner : undefined;
    // The owner label goes with every labels update: the one the object has, or this resource's.
    const keptMark = current.labels[OWNER_LABEL];
    if (owner && keptMark !== ownerLabelValue(owner) && !paths.includes("labels")) paths.push("labels");
    if (paths.length === 0) return now;
    await dir.mutate("CommunityService.Update", { ...at, name: String(desired.name) }, crypto.randomUUID(), (o) => dir.transport.communities.update({
        communityId: req.id,
        updateMask: { paths },
        name: String(desired.name ?? ""),
        description: String(desired.description ?? ""),
        labels: labelsToKeep(desired.labels, owner, keptMark, subjectOf("Community", desired.name)),
    }, o));
    return getCommunity(dir, req.id);
}

export async function deleteCommunity(dir: Directory, req: DeleteRequest): Promise<void> {
    await dir.mutate("CommunityService.Delete", { kind: "Community", name: req.id, action: "delete" }, keyOf("CommunityService.Delete", req.id),
        (o) => dir.transport.communities.delete({ communityId: req.id }, o));
}

// ---- Project ----

export async function projectObject(dir: Directory, p: Project): Promise<PlatformObject> {
    const at: Attempt = { kind: "Project", name: p.name, action: "read" };
    const [placement, balance] = await Promise.all([
        dir.placement(p.communityId, at),
        dir.read("ProjectService.GetUnitBalance", at, (o) => dir.transport.projects.getUnitBalance({ projectId: p.id }, o)),
    ]);
    const organization = await dir.organizationName(placement.organizationId);
    return platformObject("Project", p.id, {
        communityId: p.communityId, name: p.name, description: p.description, labels: programLabels(p.labels),
        settings: settingsFromApi(p.settings), limits: limitsFromApi(p.limits), unitBalance: balance.unitBalance,
    }, { organizationId: placement.organizationId, zone: placement.zone, createdAt: p.createdAt, createdBy: p.createdById, context: { organization, zone: placement.zone } });
}

export async function getProject(dir: Directory, id: string): Promise<PlatformObject> {
    return projectObject(dir, await dir.project(id, { kind: "Project", name: id, action: "read" }));
}

async function projectsNamed(dir: Directory, communityId: string, name: string, at: Attempt): Promise<Project[]> {
    const all = await dir.all(async (pageToken) => {
        const r = await dir.read("ProjectService.List", { ...at, action: "look up" }, (o) => dir.transport.projects.list(ListProjectsRequest.fromPartial({ communityId, projectNamePattern: name, pageSize: 100, pageToken }), o));
        return { items: r.projects, next: r.nextPageToken };
    });
    return all.filter((p) => p.name === name);
}

export async function createProject(dir: Directory, req: CreateRequest): Promise<PlatformObject> {
    const spec = req.spec as Spec;
    const what = subjectOf("Project", spec.name);
    const at: Attempt = { kind: "Project", name: spec.name, action: "create" };
    const existing = choose(await projectsNamed(dir, spec.communityId, spec.name, at), req, what, `in community ${spec.communityId}`);
    if (existing) {
        const patch: Spec = { name: spec.name };
        for (const field of ["description", "labels", "settings", "limits", "unitBalance"]) patch[field] = spec[field] ?? null;
        return updateProject(dir, { kind: "Project", id: existing.id, patch, owner: req.owner ?? undefined });
    }
    const key = keyOf(req.idempotencyKey ?? crypto.randomUUID(), "ProjectService.Create");
    const send = (k: string) => dir.mutate("ProjectService.Create", at, k, (o) => dir.transport.projects.create({
        communityId: spec.communityId,
        name: spec.name,
        description: spec.description ?? "",
        labels: labelsWithOwner(spec.labels, req.owner ?? undefined, what),
        settings: Project_Settings.fromPartial(settingsToApi(spec.settings) as ApiSettings),
        limits: Project_Limits.fromPartial(limitsToApi(spec.limits) as ApiLimits),
    }, o));
    let op = await send(key);
    let id: string | undefined;
    for (let tries = 0; ; tries++) {
        id = unpack(op.response, "yandex.cloud.datasphere.v2.Project", ProjectMessage)?.id
            || unpack(op.metadata, "yandex.cloud.datasphere.v2.CreateProjectMetadata", CreateProjectMetadata)?.projectId
            || (req.owner ? choose(await projectsNamed(dir, spec.communityId, spec.name, at), { ...req, adopt: false }, what, "")?.id : undefined);
        if (!id) throw new PlatformError("INTERNAL", `${what}: DataSphere's operation ${op.id} finished but names no project, and none named ${spec.name} is found. Run pulumi refresh, then pulumi up.`);
        try {
            await dir.project(id, at);
            break;
        } catch (e) {
            if (!isPlatformError(e, "NOT_FOUND") || tries > 0) throw e; // a stale key's project, gone since: see createCommunity
            op = await send(freshKey(key, op.id));
        }
    }
    if (spec.unitBalance !== undefined) await setUnitBalance(dir, id, spec.unitBalance, { ...at, action: "set the unit balance of" });
    return getProject(dir, id);
}

async function setUnitBalance(dir: Directory, projectId: string, unitBalance: number, at: Attempt): Promise<void> {
    // Setting a balance is idempotent by nature: a fresh key per call, kept across its retries.
    await dir.mutate("ProjectService.SetUnitBalance", at, crypto.randomUUID(), (o) => dir.transport.projects.setUnitBalance({ projectId, unitBalance }, o));
}

export async function updateProject(dir: Directory, req: UpdateRequest): Promise<PlatformObject> {
    const at: Attempt = { kind: "Project", name: String(req.patch.name ?? req.id), action: "update" };
    const current = await dir.project(req.id, at);
    const now = await projectObject(dir, current);
    if ("communityId" in req.patch && req.patch.communityId !== now.spec.communityId) {
        throw new PlatformError("FAILED_PRECONDITION", `${subjectOf("Project", now.spec.name)}: communityId can never change on DataSphere, got ${JSON.stringify(req.patch.communityId)} for ${JSON.stringify(now.spec.communityId)}. Create a new project instead.`);
    }
    const desired = applyPatch(now.spec, req.patch);
    const paths = updateMask(now.spec, desired, ["name", "description", "labels", "settings", "limits"]);
    const owner = typeof req.owner === "string" ? req.owner : undefined;
    const keptMark = current.labels[OWNER_LABEL];
    if (owner && keptMark !== ownerLabelValue(owner) && !paths.includes("labels")) paths.push("labels");
    const name = String(desired.name);
    if (paths.length) {
        await dir.mutate("ProjectService.Update", { ...at, name }, crypto.randomUUID(), (o) => dir.transport.projects.update({
            projectId: req.id,
            updateMask: { paths },
            name,
            description: String(desired.description ?? ""),
            labels: labelsToKeep(desired.labels, owner, keptMark, subjectOf("Project", name)),
            settings: Project_Settings.fromPartial(settingsToApi(desired.settings as Spec | undefined) as ApiSettings),
            limits: Project_Limits.fromPartial(limitsToApi(desired.limits as Spec | undefined) as ApiLimits),
        }, o));
    }
    if (typeof desired.unitBalance === "number" && desired.unitBalance !== now.spec.unitBalance) {
        await setUnitBalance(dir, req.id, desired.unitBalance, { ...at, name, action: "set the unit balance of" });
    }
    return paths.length || desired.unitBalance !== now.spec.unitBalance ? getProject(dir, req.id) : now;
}

export async function deleteProject(dir: Directory, req: DeleteRequest): Promise<void> {
    await dir.mutate("ProjectService.Delete", { kind: "Project", name: req.id, action: "delete" }, keyOf("ProjectService.Delete", req.id),
        (o) => dir.transport.projects.delete({ projectId: req.id }, o));
}
