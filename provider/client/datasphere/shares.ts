// Shares, the resources DataSphere makes that a program can only name, and the read-only kinds.
//
// A share is CommunityService.AddResource / RemoveResource. Nothing lists or gets what a community has received,
// so a share reads as present while both ends exist: an unshare made outside Pulumi is not seen by refresh (README).
// The resource is named by its project (`<project id>/<resource id>`, see mapping.ts), so its zone and organization
// are known: the sharing rules run in preview on the facts, and again here on what the platform says.
import type { CreateRequest, DeleteRequest, PlatformObject } from "../../model/contract";
import { isPlatformError, PlatformError } from "../../model/errors";
import type { KindName, ShareableKind } from "../../model/kinds";
import type { Directory } from "./directory";
import { Attempt } from "./errors";
import { parseReferenceId, parseShareId, platformObject, referenceId, RESOURCE_TYPES, shareId } from "./mapping";
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
