// Shares, a project's use of a shared resource, the resources DataSphere makes that a program can only name, and
// the read-only kinds.
//
// A share is CommunityService.AddResource / RemoveResource. Nothing lists or gets what a community has received,
// so a share reads as present while both ends exist: an unshare made outside Pulumi is not seen by refresh (README).
// The resource is named by its project (`<project id>/<resource id>`, see mapping.ts), so its zone and organization
// are known: the sharing rules run in preview on the facts, and again here on what the platform says. A project
// uses a shared resource through ProjectService.AddResource / RemoveResource, with the same refresh rule.
import type { CreateRequest, DeleteRequest, PlatformObject } from "../../model/contract";
import { isPlatformError, PlatformError } from "../../model/errors";
import type { KindName, ShareableKind } from "../../model/kinds";
import type { Directory } from "./directory";
import { Attempt } from "./errors";
import { parseReferenceId, parseShareId, parseUseId, platformObject, referenceId, RESOURCE_TYPES, shareId, useId } from "./mapping";
import * as crypto from "crypto";

/** A resource named by its project: where it is, from its project's community. */
export async function getReference(dir: Directory, kind: KindName, id: string): Promise<PlatformObject> {
    const { projectId, resourceId } = parseReferenceId(kind, id);
    const at: Attempt = { kind, name: resourceId, action: "read" };
    const communityId = await dir.projectCommunity(projectId, at);
    const placement = await dir.placement(communityId, at);
    const organization = await dir.organizationName(placement.organizationId);
    // Its name is not readable (no API): the platform's id stands for it.
    return platformObject(kind, referenceId(projectId, resourceId), { projectId, name: resourceId },
        { organizationId: placement.organizationId, zone: placement.zone, context: { organization, zone: placement.zone }, extra: { reference: true } });
}

async function shareObject(dir: Directory, communityId: string, kind: ShareableKind, projectId: string, resourceId: string, at: Attempt): Promise<PlatformObject> {
    const [community, resource] = await Promise.all([dir.community(communityId, at), getReference(dir, kind, referenceId(projectId, resourceId))]);
    const communityOrganization = await dir.organizationName(community.organizationId);
    return platformObject("Share", shareId(communityId, kind, referenceId(projectId, resourceId)), {
        resourceId: referenceId(projectId, resourceId), resourceKind: kind, communityId,
    }, {
        organizationId: community.organizationId, zone: community.zoneId,
        context: {
            resourceName: String(resource.spec.name), resourceZone: resource.zone, resourceOrganization: resource.context.organization,
            communityName: community.name, communityZone: community.zoneId, communityOrganization,
        },
    });
}

export async function getShare(dir: Directory, id: string): Promise<PlatformObject> {
    const s = parseShareId(id);
    return shareObject(dir, s.communityId, s.resourceKind, s.projectId, s.resourceId, { kind: "Share", name: id, action: "read" });
}

export async function createShare(dir: Directory, req: CreateRequest): Promise<PlatformObject> {
    const spec = req.spec as { resourceId: string; resourceKind: ShareableKind; communityId: string };
    const { projectId, resourceId } = parseReferenceId(spec.resourceKind, spec.resourceId);
    const label = `${spec.resourceKind} ${resourceId} -> community ${spec.communityId}`;
    const at: Attempt = { kind: "Share", name: label, action: "share" };
    const object = await shareObject(dir, spec.communityId, spec.resourceKind, projectId, resourceId, at);
    // The platform refuses these too; said here in the provider's words, naming both ends.
    const c = object.context;
    if (c.resourceOrganization !== c.communityOrganization) {
        throw new PlatformError("FAILED_PRECONDITION", `Share ${label}: cannot share ${spec.resourceKind} ${resourceId} of organization ${c.resourceOrganization} into community "${c.communityName}" of organization ${c.communityOrganization}. Share only within one organization.`);
    }
    if (c.resourceZone !== c.communityZone) {
        throw new PlatformError("FAILED_PRECONDITION", `Share ${label}: cannot share ${spec.resourceKind} ${resourceId} in zone ${c.resourceZone} into community "${c.communityName}" in zone ${c.communityZone}. Share only into a community of the resource's zone.`);
    }
    try {
        // Sharing is idempotent by nature (below): a fresh key per call, kept across its retries.
        await dir.mutate("CommunityService.AddResource", at, crypto.randomUUID(), (o) => dir.transport.communities.addResource({
            communityId: spec.communityId, resourceType: RESOURCE_TYPES[spec.resourceKind], resourceId,
        }, o));
    } catch (e) {
        // Already shared (a rerun after a crash, or shared by hand): that is what the program wants.
        if (!isPlatformError(e, "ALREADY_EXISTS")) throw e;
    }
    return object;
}

export async function deleteShare(dir: Directory, req: DeleteRequest): Promise<void> {
    const s = parseShareId(req.id);
    await dir.mutate("CommunityService.RemoveResource", { kind: "Share", name: req.id, action: "unshare" }, crypto.randomUUID(), (o) => dir.transport.communities.removeResource({
        communityId: s.communityId, resourceType: RESOURCE_TYPES[s.resourceKind], resourceId: s.resourceId,
    }, o));
}

async function useObject(dir: Directory, projectId: string, share: string, at: Attempt): Promise<PlatformObject> {
    const [project, shared] = await Promise.all([dir.project(projectId, at), getShare(dir, share)]);
    const placement = await dir.placement(project.communityId, at);
    const organization = await dir.organizationName(placement.organizationId);
    const c = shared.context;
    return platformObject("SharedResourceUse", useId(projectId, share), { projectId, shareId: share }, {
        organizationId: placement.organizationId, zone: placement.zone,
        context: {
            organization, zone: placement.zone, projectName: project.name, projectCommunityId: project.communityId,
            resourceKind: String(shared.spec.resourceKind), resourceName: c.resourceName, shareCommunityId: String(shared.spec.communityId),
            communityName: c.communityName, communityZone: c.communityZone, communityOrganization: c.communityOrganization,
        },
    });
}

export async function getUse(dir: Directory, id: string): Promise<PlatformObject> {
    const { projectId, shareId: share } = parseUseId(id);
    return useObject(dir, projectId, share, { kind: "SharedResourceUse", name: id, action: "read" });
}

export async function createUse(dir: Directory, req: CreateRequest): Promise<PlatformObject> {
    const spec = req.spec as { projectId: string; shareId: string };
    const share = parseShareId(spec.shareId);
    const label = `share ${spec.shareId} in project ${spec.projectId}`;
    const at: Attempt = { kind: "SharedResourceUse", name: label, action: "add" };
    const object = await useObject(dir, spec.projectId, spec.shareId, at);
    // Only a project of the community the resource is shared into can use it (the platform refuses it too).
    if (object.context.projectCommunityId !== share.communityId) {
        throw new PlatformError("FAILED_PRECONDITION", `SharedResourceUse ${label}: project "${object.context.projectName}" is in community ${object.context.projectCommunityId}, `
            + `but the ${share.resourceKind} is shared into community "${object.context.communityName}" (${share.communityId}). Use it from a project of that community, or share it into this project's community.`);
    }
    try {
        await dir.mutate("ProjectService.AddResource", at, crypto.randomUUID(), (o) => dir.transport.projects.addResource({
            projectId: spec.projectId, resourceType: RESOURCE_TYPES[share.resourceKind], resourceId: share.resourceId,
        }, o));
    } catch (e) {
        if (!isPlatformError(e, "ALREADY_EXISTS")) throw e; // in use already: what the program wants
    }
    return object;
}

export async function deleteUse(dir: Directory, req: DeleteRequest): Promise<void> {
    const { projectId, shareId: share } = parseUseId(req.id);
    const s = parseShareId(share);
    await dir.mutate("ProjectService.RemoveResource", { kind: "SharedResourceUse", name: req.id, action: "remove" }, crypto.randomUUID(), (o) => dir.transport.projects.removeResource({
        projectId, resourceType: RESOURCE_TYPES[s.resourceKind], resourceId: s.resourceId,
    }, o));
}

export async function getOrganization(dir: Directory, id: string): Promise<PlatformObject> {
    const org = await dir.read("OrganizationService.Get", { kind: "Organization", name: id, action: "read" }, (o) => dir.transport.organizations.get({ organizationId: id }, o));
    return platformObject("Organization", org.id, {
        name: org.name, displayName: org.title || org.name, description: org.description, labels: Object.keys(org.labels ?? {}).length ? org.labels : undefined,
    }, { organizationId: org.id, createdAt: org.createdAt });
}

export async function getBillingAccount(dir: Directory, id: string): Promise<PlatformObject> {
    const account = await dir.read("BillingAccountService.Get", { kind: "BillingAccount", name: id, action: "read" }, (o) => dir.transport.billing.get({ id }, o));
    return platformObject("BillingAccount", account.id, { name: account.name, status: account.active ? "active" : "suspended" },
        { createdAt: account.createdAt, extra: { currency: account.currency, countryCode: account.countryCode } });
}

/** Unused by the provider today; said plainly rather than failing obscurely. */
export function notAvailable(what: string): PlatformError {
    return new PlatformError("FAILED_PRECONDITION", `${what} is not available in datasphere mode: DataSphere's public API has no such call.`);
}
