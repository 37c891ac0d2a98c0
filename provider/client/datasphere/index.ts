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
import { DEFAULT_TUNING, Tuning } from "./timing";
import { Transport } from "./transport";
import { ListCommunitiesRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { ListProjectsRequest } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";

export { DEFAULT_TUNING, Tuning } from "./timing";

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

/**
 * What each kind is on DataSphere: the calls that create, read, change and delete it. An operation a kind's entry
 * lacks has no API (backends.ts says what to do instead); a kind every field of which replaces it (a share, a use)
 * has nothing to send in an update.
 */
interface KindCalls {
    create?(dir: Directory, req: CreateRequest): Promise<PlatformObject>;
    get?(dir: Directory, id: string): Promise<PlatformObject>;
    update?(dir: Directory, req: UpdateRequest): Promise<PlatformObject>;
    delete?(dir: Directory, req: DeleteRequest): Promise<void>;
}
const member = (kind: "CommunityMember" | "ProjectMember"): KindCalls => ({
    create: (dir, req) => createMember(dir, kind, req),
    get: (dir, id) => getMember(dir, kind, id),
    update: (dir, req) => updateMember(dir, kind, req),
    delete: (dir, req) => deleteMember(dir, kind, req),
});
const CALLS: Partial<Record<KindName, KindCalls>> = {
    Organization: { get: getOrganization },
    BillingAccount: { get: getBillingAccount },
    Community: { create: createCommunity, get: getCommunity, update: updateCommunity, delete: deleteCommunity },
    Project: { create: createProject, get: getProject, update: updateProject, delete: deleteProject },
    CommunityMember: member("CommunityMember"),
    ProjectMember: member("ProjectMember"),
    Share: { create: createShare, get: getShare, delete: deleteShare },
    SharedResourceUse: { create: createUse, get: getUse, delete: deleteUse },
};

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
            const create = CALLS[req.kind]?.create;
            if (!create) throw notAvailable(`creating a ${req.kind}`);
            return create(dir, req);
        },
        async get(kind: KindName, id: string): Promise<PlatformObject> {
            const get = CALLS[kind]?.get;
            if (get) return get(dir, id);
            const support = dataSphereSupport(kind);
            if (support.mode === "reference") return getReference(dir, kind, id);
            throw new PlatformError("FAILED_PRECONDITION", `${kind} ${id} cannot be read in datasphere mode (mlplatform:backend datasphere): ${support.mode === "managed" ? "no API" : support.instead}`);
        },
        async update(req: UpdateRequest): Promise<PlatformObject> {
            readOnly(req.kind, "changed");
            const update = CALLS[req.kind]?.update;
            return update ? update(dir, req) : this.get(req.kind, req.id);
        },
        async delete(req: DeleteRequest): Promise<void> {
            readOnly(req.kind, "deleted");
            const remove = CALLS[req.kind]?.delete;
            if (!remove) throw notAvailable(`deleting a ${req.kind}`);
            return remove(dir, req);
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
