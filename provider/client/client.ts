// What the provider needs from a control plane, however it is reached. The embedded client runs the service
// in-process on a database file; a served one would implement the same interface over HTTP.
import type { KindName } from "../model/kinds";
import type { CheckpointVersion, CreateRequest, DeleteRequest, Identity, ListRequest, Page, PlatformObject, UpdateRequest } from "../model/contract";

export interface ControlPlaneClient {
    /** The subject every call acts as. */
    readonly principal: string;
    /** Where the control plane is, for messages: `embedded database <file>` or the served endpoint. */
    readonly location: string;
    /** Which control plane this is (the same however it is reached): every object's state records it. */
    identity(): Promise<Identity>;
    create(req: CreateRequest): Promise<PlatformObject>;
    get(kind: KindName, id: string): Promise<PlatformObject>;
    /** The existing object with the same unique key under the same parent, if any. */
    lookup(kind: KindName, spec: Record<string, unknown>): Promise<PlatformObject | undefined>;
    update(req: UpdateRequest): Promise<PlatformObject>;
    delete(req: DeleteRequest): Promise<void>;
    list(req: ListRequest): Promise<Page<PlatformObject>>;
    listVersions(checkpointId: string): Promise<CheckpointVersion[]>;
}
