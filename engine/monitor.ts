// The gRPC face of the engine that a program run by @pulumi/pulumi/cmd/run talks to: the ResourceMonitor service
// (resource registrations) and the Engine service (logging, root resource). This module only translates between
// protobuf messages and plain values; what a registration means is decided by the MonitorHandler (update.ts).

import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { fromStruct, GRPC_OPTIONS, toStruct } from "./wire";
import type { Diagnostic, Severity } from "./types";
import type { PropertyMap } from "./values";

/** Features this engine implements. Everything else is refused so the SDK does not rely on it. */
const SUPPORTED_FEATURES = new Set(["secrets"]);

export interface RegisterResourceRequest {
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    remote: boolean;
    object: PropertyMap;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Reference to an explicit provider resource, empty for the default provider. */
    provider: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    /** Only set when the program set the option (it then overrides the provider's choice). */
    deleteBeforeReplace?: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    aliasUrns: string[];
    importId: string;
    deletedWith: string;
    replaceWith: string[];
    hasReplacementTrigger: boolean;
}

export interface RegisterResourceResult {
    urn: string;
    id?: string;
    outputs: PropertyMap;
}

export interface ReadResourceRequest {
    id: string;
    type: string;
    name: string;
    parent: string;
    properties: PropertyMap;
    dependencies: string[];
    provider: string;
    additionalSecretOutputs: string[];
}

export interface ReadResourceResult {
    urn: string;
    outputs: PropertyMap;
}

export interface MonitorHandler {
    registerResource(req: RegisterResourceRequest): Promise<RegisterResourceResult>;
    registerResourceOutputs(urn: string, outputs: PropertyMap): Promise<void>;
    readResource(req: ReadResourceRequest): Promise<ReadResourceResult>;
    /** Invokes are not supported by this engine; the handler produces the error to return. */
    invoke(token: string): Error;
    log(diagnostic: Diagnostic): void;
}

/** An error with the gRPC status the program should receive. */
export class MonitorError extends Error {
    constructor(readonly code: grpc.status, message: string) {
        super(message);
    }
}

const SEVERITIES: Record<number, Severity> = {
    [engproto.LogSeverity.DEBUG]: "debug",
    [engproto.LogSeverity.INFO]: "info",
    [engproto.LogSeverity.WARNING]: "warning",
    [engproto.LogSeverity.ERROR]: "error",
};

export class EngineServer {
    private rootUrn = "";

    private constructor(private readonly server: grpc.Server, readonly address: string) {}

    static async start(handler: MonitorHandler): Promise<EngineServer> {
        const server = new grpc.Server(GRPC_OPTIONS);
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
        );
        const engine = new EngineServer(server, `127.0.0.1:${port}`);
        server.addService(resrpc.ResourceMonitorService, engine.monitorService(handler));
        server.addService(engrpc.EngineService, engine.engineService(handler));
        return engine;
    }

    stop(): void {
        this.server.forceShutdown();
    }

    private monitorService(handler: MonitorHandler): grpc.UntypedServiceImplementation {
        return {
            supportsFeature: unary(async (req: resproto.SupportsFeatureRequest) => {
                const resp = new resproto.SupportsFeatureResponse();
                resp.setHassupport(SUPPORTED_FEATURES.has(req.getId()));
                return resp;
            }),
            // Unimplemented on purpose: the SDK then asks feature by feature with SupportsFeature.
            getDeploymentInfo: unimplemented("GetDeploymentInfo"),
            registerResource: unary(async (req: resproto.RegisterResourceRequest) => {
                const result = await handler.registerResource(decodeRegisterResource(req));
                const resp = new resproto.RegisterResourceResponse();
                resp.setUrn(result.urn);
                resp.setId(result.id ?? "");
                resp.setObject(toStruct(result.outputs));
                return resp;
            }),
            registerResourceOutputs: unary(async (req: resproto.RegisterResourceOutputsRequest) => {
                await handler.registerResourceOutputs(req.getUrn(), fromStruct(req.getOutputs()));
                return new Empty();
            }),
            readResource: unary(async (req: resproto.ReadResourceRequest) => {
                const result = await handler.readResource({
                    id: req.getId(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent(),
                    properties: fromStruct(req.getProperties()),
                    dependencies: req.getDependenciesList(),
                    provider: req.getProvider(),
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                });
                const resp = new resproto.ReadResourceResponse();
                resp.setUrn(result.urn);
                // SDKs after 3.270 (3.276.0) take the resource's id from the answer, and in a preview an empty one means
                // unknown (runtime/resource.js readResource); earlier ones keep the id they asked with. So the id
                // read is sent back, empty only when the program asked with an id not known yet.
                resp.setId(req.getId() === unknownValue ? "" : req.getId());
                resp.setProperties(toStruct(result.outputs));
                return resp;
            }),
            invoke: unary(async (req: resproto.ResourceInvokeRequest): Promise<resproto.ResourceInvokeResponse> => {
                throw handler.invoke(req.getTok());
            }),
            signalAndWaitForShutdown: unary(async () => new Empty()),
            call: unimplemented("Call (methods of multi-language components)"),
            existsResource: unimplemented("ExistsResource"),
            registerStackTransform: unimplemented("stack transforms"),
            registerStackInvokeTransform: unimplemented("invoke transforms"),
            registerResourceHook: unimplemented("resource hooks"),
            registerErrorHook: unimplemented("error hooks"),
            registerPackage: unimplemented("parameterized packages"),
        };
    }

    private engineService(handler: MonitorHandler): grpc.UntypedServiceImplementation {
        return {
            log: unary(async (req: engproto.LogRequest) => {
                if (!req.getEphemeral()) {
                    handler.log({ severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() });
                }
                return new Empty();
            }),
            getRootResource: unary(async () => {
                const resp = new engproto.GetRootResourceResponse();
                resp.setUrn(this.rootUrn);
                return resp;
            }),
            setRootResource: unary(async (req: engproto.SetRootResourceRequest) => {
                this.rootUrn = req.getUrn();
                return new engproto.SetRootResourceResponse();
            }),
            requirePulumiVersion: unary(async () => new engproto.RequirePulumiVersionResponse()),
            startDebugging: unimplemented("debugging"),
        };
    }
}

function decodeRegisterResource(req: resproto.RegisterResourceRequest): RegisterResourceRequest {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    return {
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        custom: req.getCustom(),
        remote: req.getRemote(),
        object: fromStruct(req.getObject()),
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        provider: req.getProvider(),
        ...(req.hasProtect() ? { protect: req.getProtect() } : {}),
        ...(req.hasRetainondelete() ? { retainOnDelete: req.getRetainondelete() } : {}),
        ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        aliasUrns: req.getAliasurnsList(),
        importId: req.getImportid(),
        deletedWith: req.getDeletedwith(),
        replaceWith: req.getReplaceWithList(),
        hasReplacementTrigger: req.hasReplacementTrigger(),
    };
}

type Callback<Res> = (err: grpc.ServiceError | null, resp?: Res) => void;

/** Adapts an async function to a unary gRPC handler; thrown errors become gRPC statuses with their message. */
function unary<Req, Res>(fn: (req: Req) => Promise<Res>) {
    return (call: grpc.ServerUnaryCall<Req, Res>, callback: Callback<Res>) => {
        fn(call.request).then(
            (resp) => callback(null, resp),
            (err: unknown) => {
                const code = err instanceof MonitorError ? err.code : grpc.status.UNKNOWN;
                const message = err instanceof Error ? err.message : String(err);
                callback({ name: "Error", message, code, details: message, metadata: new grpc.Metadata() });
            },
        );
    };
}

function unimplemented(what: string) {
    return (_call: unknown, callback: Callback<never>) => {
        const message = `${what} is not supported by this local engine`;
        callback({ name: "Error", message, code: grpc.status.UNIMPLEMENTED, details: message, metadata: new grpc.Metadata() });
    };
}
