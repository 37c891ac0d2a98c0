// The DataSphere backend: the provider's control-plane client implemented on Yandex Cloud DataSphere's public API
// v2, through the official SDK. The provider host loads this module only when mlplatform:backend is datasphere
// (host.ts, openClient), so the other backends never load the SDK. One client per configuration per process: the
// SDK's session, its channels and the facts that never change are reused by every call of a run.
import * as crypto from "crypto";
import type { CreateRequest, DeleteRequest, ListRequest, Page, PlatformObject, UpdateRequest } from "../../model/contract";
import { PlatformError, subjectOf } from "../../model/errors";
import type { KindName } from "../../model/kinds";
import { dataSphereCreateRefusal, dataSphereSupport } from "../backends";
import type { ControlPlaneClient } from "../client";
import { DataSphereConfig, locationOf } from "../config";
import { createCommunity, createProject, communityObject, deleteCommunity, deleteProject, getCommunity, getProject, projectObject, updateCommunity, updateProject } from "./communities";
import { Directory } from "./directory";
import { createMember, deleteMember, getMember, updateMember } from "./members";
import { createShare, createUse, deleteShare, deleteUse, getBillingAccount, getOrganization, getReference, getShare, getUse, notAvailable } from "./shares";
import { DEFAULT_TUNING, Transport, Tuning } from "./transport";
import { ListCommunitiesRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { ListProjectsRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";

export { DEFAULT_TUNING, Tuning } from "./transport";

const clients = new Map<string, ControlPlaneClient>();

/** The client for a configuration; `tuning` shortens waits (tests). */
export function dataSphereClient(config: DataSphereConfig, tuning: Partial<Tuning> = {}): ControlPlaneClient {
    // Keyed by a digest: the configuration holds credentials, which stay out of any map key.
    const cacheKey = crypto.createHash("sha256").update(JSON.stringify([config, tuning])).digest("base64");
    let client = clients.get(cacheKey);
    if (!client) {
        client = makeClient(config, { ...DEFAULT_TUNING, ...tuning });
        clients.set(cacheKey, client);
    }
    return client;
}

function makeClient(config: DataSphereConfig, tuning: Tuning): ControlPlaneClient {
    const dir = new Directory(new Transport(config, tuning), config);
    const refuseCreate = (kind: KindName, name: unknown) => {
        const refusal = dataSphereCreateRefusal(kind);
        if (refusal) throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(kind, name)}: ${refusal}`);
    };
    const readOnly = (kind: KindName, action: string) => {
        const support = dataSphereSupport(kind);
        if (support.mode !== "managed") throw new PlatformError("FAILED_PRECONDITION", `${kind} cannot be ${action} in datasphere mode (mlplatform:backend datasphere): ${support.instead}`);
    };
    return {
        principal: "the account of the configured Yandex Cloud credentials",
        location: locationOf(config),
        // Asked in every preview of a new resource: answered without a call. Every stack on this endpoint is on one platform.
        identity: async () => ({ id: `yandex-cloud-datasphere:${config.endpoints.datasphere}` }),
        async create(req: CreateRequest): Promise<PlatformObject> {
            refuseCreate(req.kind, req.spec?.name);
            switch (req.kind) {
                case "Community": return createCommunity(dir, req);
                case "Project": return createProject(dir, req);
                case "CommunityMember":
                case "ProjectMember": return createMember(dir, req.kind, req);
                case "Share": return createShare(dir, req);
                case "SharedResourceUse": return createUse(dir, req);
                default: throw notAvailable(`creating a ${req.kind}`);
            }
        },
        async get(kind: KindName, id: string): Promise<PlatformObject> {
            switch (kind) {
                case "Organization": return getOrganization(dir, id);
                case "BillingAccount": return getBillingAccount(dir, id);
                case "Community": return getCommunity(dir, id);
                case "Project": return getProject(dir, id);
                case "CommunityMember":
                case "ProjectMember": return getMember(dir, kind, id);
                case "Share": return getShare(dir, id);
                case "SharedResourceUse": return getUse(dir, id);
                default:
                    const support = dataSphereSupport(kind);
                    if (support.mode === "reference") return getReference(dir, kind, id);
                    throw new PlatformError("FAILED_PRECONDITION", `${kind} ${id} cannot be read in datasphere mode (mlplatform:backend datasphere): ${support.mode === "managed" ? "no API" : support.instead}`);
            }
        },
        async update(req: UpdateRequest): Promise<PlatformObject> {
            readOnly(req.kind, "changed");
            switch (req.kind) {
                case "Community": return updateCommunity(dir, req);
                case "Project": return updateProject(dir, req);
                case "CommunityMember":
                case "ProjectMember": return updateMember(dir, req.kind, req);
                default:
                    // Every field of a share and of a use replaces it (kinds.ts): an update has nothing to send.
                    return this.get(req.kind, req.id);
            }
        },
        async delete(req: DeleteRequest): Promise<void> {
            readOnly(req.kind, "deleted");
            switch (req.kind) {
                case "Community": return deleteCommunity(dir, req);
                case "Project": return deleteProject(dir, req);
                case "CommunityMember":
                case "ProjectMember": return deleteMember(dir, req.kind, req);
                case "Share": return deleteShare(dir, req);
                case "SharedResourceUse": return deleteUse(dir, req);
                default: throw notAvailable(`deleting a ${req.kind}`);
            }
        },
        async list(req: ListRequest): Promise<Page<PlatformObject>> {
            const pageToken = req.pageToken ?? "";
            const pageSize = req.pageSize ?? 100;
            if (req.kind === "Community" && req.parentId) {
                const r = await dir.read("CommunityService.List", { kind: "Community", action: "list" }, (o) => dir.transport.communities.list(ListCommunitiesRequest.fromPartial({ organizationId: req.parentId!, pageSize, pageToken }), o));
                return { items: await Promise.all(r.communities.map((c) => communityObject(dir, c))), ...(r.nextPageToken ? { nextPageToken: r.nextPageToken } : {}) };
            }
            if (req.kind === "Project" && req.parentId) {
                const r = await dir.read("ProjectService.List", { kind: "Project", action: "list" }, (o) => dir.transport.projects.list(ListProjectsRequest.fromPartial({ communityId: req.parentId!, pageSize, pageToken }), o));
                return { items: await Promise.all(r.projects.map((p) => projectObject(dir, p))), ...(r.nextPageToken ? { nextPageToken: r.nextPageToken } : {}) };
            }
            throw notAvailable(`listing ${req.kind} objects${req.parentId ? "" : " without a parent"}`);
        },
    };
}
