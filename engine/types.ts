import type { PropertyMap } from "./values";

/**
 * One resource as the engine remembers it between runs. Values keep their secret wrappers in memory; the state
 * store encrypts them on the way to disk.
 */
export interface ResourceState {
    urn: string;
    /** The type the program registered, e.g. `pulumi-nodejs:dynamic:Resource` or `pulumi:pulumi:Stack`. */
    type: string;
    /** Custom resources are managed by a provider; components and the stack only exist in the state. */
    custom: boolean;
    /** Physical id from the provider; absent for components. */
    id?: string;
    parent?: string;
    /** The checked inputs (what `check` returned), including the dynamic provider's `__provider`. */
    inputs: PropertyMap;
    /** What create/update/read returned. `diff`, `update` and `delete` receive these, never the inputs. */
    outputs: PropertyMap;
    /** Resources this one depends on (the `dependsOn` option and every resource whose outputs it consumed). */
    dependencies: string[];
    /** For each input property, the resources its value came from. Needed to find dependents of a replacement. */
    propertyDependencies: Record<string, string[]>;
    /** Read with `Resource.get`: the engine does not own it and never deletes it. */
    external?: boolean;
    /** An old copy waiting to be deleted (its replacement was created first, or a delete failed). */
    delete?: boolean;
    protect?: boolean;
    retainOnDelete?: boolean;
    additionalSecretOutputs?: string[];
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    created?: string;
    modified?: string;
}

/** What the state holds: the resources, and the provider operations a killed run left unfinished. */
export interface Snapshot {
    resources: ResourceState[];
    pendingOperations: PendingOperation[];
    /**
     * The stack configuration the dynamic provider was configured with by the last `up` that used it: what the
     * Pulumi engine keeps as the inputs of the default `pulumi-nodejs` provider resource, and configures the provider
     * from on `refresh` and `destroy` (deployment.go EnsureProvider, providers/registry.go Same). Absent in a state
     * written before this engine kept it.
     */
    providerConfig?: PropertyMap;
}

/** A provider operation that started but whose end was not recorded (the engine was killed in the middle). */
export interface PendingOperation {
    urn: string;
    type: string;
    id?: string;
    operation: "creating" | "updating" | "deleting";
    startedAt: string;
    /**
     * A create's resource as it was to be recorded (no id, its outputs its inputs), as Pulumi's pending operation
     * carries it: `refresh --import-pending-creates` completes it with the id of the object the create made.
     */
    resource?: ResourceState;
}

export type Severity = "debug" | "info" | "warning" | "error";

export interface Diagnostic {
    severity: Severity;
    message: string;
    /** The resource the message is about; empty for messages about the whole run. */
    urn: string;
}
