// What the provider needs from a control plane, however it is reached: the embedded client runs the service
// in-process on a database file, the HTTP client reaches it served, the DataSphere client drives Yandex Cloud.
// (`list` serves tests and tools that look at what a stack made; the provider itself reads objects by id.)
import type { KindName } from "../model/kinds";
import type { CreateRequest, DeleteRequest, Identity, ListRequest, Page, PlatformObject, UpdateRequest } from "../model/contract";

export interface ControlPlaneClient {
    /** The subject every call acts as. */
    readonly principal: string;
    /** Where the control plane is, for messages: `embedded database <file>` or the served endpoint. */
    readonly location: string;
    /** Which control plane this is (the same however it is reached): every object's state records it. */
    identity(): Promise<Identity>;
    create(req: CreateRequest): Promise<PlatformObject>;
    get(kind: KindName, id: string): Promise<PlatformObject>;
    update(req: UpdateRequest): Promise<PlatformObject>;
    delete(req: DeleteRequest): Promise<void>;
    list(req: ListRequest): Promise<Page<PlatformObject>>;
}
