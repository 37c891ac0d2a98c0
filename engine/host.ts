// Client of the SDK's dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider), started the way the CLI starts
// the `pulumi-resource-pulumi-nodejs` plugin: `node <cmd/dynamic-provider> <engine address>`, the first stdout line
// is the gRPC port, and Configure receives the whole stack configuration with namespaced keys. The process's own
// environment gets only the `pulumi-nodejs:` keys, as the CLI gives them (providerEnvironment).

import * as grpc from "@grpc/grpc-js";
import type { ChildProcess } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { DiffChanges, ProviderDiff } from "./planner";
import { exitCode, spawnNode, terminate } from "./processes";
import { parseUrn } from "./urn";
import { unwrapSecretsMap, type PropertyMap } from "./values";
import { fromStruct, GRPC_OPTIONS, toStruct } from "./wire";

/** An error reported by the provider (or the host): its message is what the user needs, not a stack trace. */
class ProviderError extends Error {
    constructor(message: string, readonly code?: grpc.status) {
        super(message);
    }
}

/**
 * A call that got no answer from the provider: the host exited under it, the connection dropped, the call was
 * cancelled or timed out. Unlike a ProviderError, this says nothing about what the provider did: a create, update
 * or delete may or may not have taken effect.
 */
export class CallLost extends ProviderError {
    constructor(
        /** What happened, e.g. "the dynamic provider host exited (code 137)". */
        readonly reason: string,
        readonly method: string,
        code: grpc.status | undefined,
        /** The host's last lines on stderr, if it exited: ":\n<lines>" or "". */
        readonly stderrTail = "",
    ) {
        super(`${reason} during ${method}${stderrTail}`, code);
    }
}

/**
 * The gRPC statuses that are an answer of the host: UNKNOWN carries the provider's own error (the SDK's host sends
 * every error of a provider method so), UNIMPLEMENTED a method the host does not have. Any other status comes from
 * the transport (UNAVAILABLE, CANCELLED, DEADLINE_EXCEEDED, INTERNAL...) and means the answer was lost.
 */
const ANSWER_STATUSES: ReadonlySet<grpc.status> = new Set([grpc.status.UNKNOWN, grpc.status.UNIMPLEMENTED]);

interface CheckFailure {
    property: string;
    reason: string;
}

interface HostOptions {
    /** The folder of the program's `main`: @pulumi/pulumi is resolved from here, and it is the host's working directory. */
    programDir: string;
    project: string;
    /** Pulumi.yaml's `runtime.options`, which the CLI hands every plugin as PULUMI_RUNTIME_<OPTION>. */
    runtimeOptions: Readonly<Record<string, unknown>>;
    /** The current stack configuration, namespaced keys, decrypted: its `pulumi-nodejs:` keys go in PULUMI_CONFIG. */
    config: Record<string, string>;
    /**
     * What Configure hands the provider: the stack configuration in an `up`, the one kept in the state by the last
     * `up` in a `refresh` or `destroy`, as the Pulumi engine configures the default provider from its state.
     */
    configureWith: PropertyMap;
    /** Address of the engine's gRPC services, passed on the command line as the CLI does. */
    engineAddress: string;
    /** Lines the provider prints on stdout after the port (its console.log). */
    onOutput(line: string): void;
    /** Lines on stderr; the host writes its own copy of every error there, with a stack trace. */
    onErrorOutput(line: string): void;
}

const STARTUP_TIMEOUT_MS = 60_000;
const STDERR_TAIL_LINES = 20;
/** How long a failed call waits to learn whether the host died. */
const HOST_EXIT_GRACE_MS = 1000;

export class DynamicProviderHost {
    /** From Configure. The SDK's host answers false to both. */
    acceptSecrets = false;
    supportsPreview = false;

    /** Resolves with the host's exit code when it exits. */
    private readonly exit: Promise<number>;

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: ResourceProviderClient,
        private readonly stderrTail: readonly string[],
    ) {
        this.exit = exitCode(child);
    }

    static async start(opts: HostOptions): Promise<DynamicProviderHost> {
        let script: string;
        try {
            script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [opts.programDir] });
        } catch {
            throw new ProviderError(
                `cannot find @pulumi/pulumi/cmd/dynamic-provider from ${opts.programDir}; install @pulumi/pulumi there`,
            );
        }
        const child = spawnNode([script, opts.engineAddress], {
            cwd: opts.programDir,
            env: { ...process.env, ...providerEnvironment(opts) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        // The last lines of stderr explain a host that fails to start or dies; they are kept for that message.
        const stderrTail: string[] = [];
        readline.createInterface({ input: child.stderr! }).on("line", (line) => {
            stderrTail.push(line);
            if (stderrTail.length > STDERR_TAIL_LINES) {
                stderrTail.shift();
            }
            opts.onErrorOutput(line);
        });
        const port = await readPort(child, stderrTail, opts.onOutput);
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), GRPC_OPTIONS);
        const host = new DynamicProviderHost(child, client, stderrTail);

        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(opts.configureWith));
        // The deprecated `variables` too, as provider_plugin.go Configure sends them: `pulumi-nodejs:config:<key>`, the
        // value as text, secrets unwrapped. The SDK's host reads only `args`.
        const variables = req.getVariablesMap();
        for (const [key, value] of Object.entries(unwrapSecretsMap(opts.configureWith))) {
            variables.set(`${DYNAMIC_PACKAGE}:config:${key}`, typeof value === "string" ? value : JSON.stringify(value));
        }
        req.setAcceptsecrets(true);
        req.setAcceptresources(false);
        const resp = await host.call<provproto.ConfigureResponse>("configure", (cb) => client.configure(req, cb));
        host.acceptSecrets = resp.getAcceptsecrets();
        host.supportsPreview = resp.getSupportspreview();
        return host;
    }

    async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<{ inputs: PropertyMap; failures: CheckFailure[] }> {
        const req = new provproto.CheckRequest();
        setTarget(req, urn);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp = await this.call<provproto.CheckResponse>("check", (cb) => this.client.check(req, cb));
        return {
            inputs: fromStruct(resp.getInputs()),
            failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, oldOutputs: PropertyMap, news: PropertyMap, oldInputs: PropertyMap, ignoreChanges: string[]): Promise<ProviderDiff> {
        const req = new provproto.DiffRequest();
        setChange(req, urn, id, oldOutputs, news, oldInputs, ignoreChanges);
        const resp = await this.call<provproto.DiffResponse>("diff", (cb) => this.client.diff(req, cb));
        const changes: Record<number, DiffChanges> = {
            [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
            [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
            [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
        };
        const diffs = resp.getDiffsList();
        return {
            changes: changes[resp.getChanges()] ?? "unknown",
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
            ...(diffs.length ? { diffs } : {}),
        };
    }

    async create(urn: string, inputs: PropertyMap): Promise<{ id: string; outputs: PropertyMap }> {
        const req = new provproto.CreateRequest();
        setTarget(req, urn);
        req.setProperties(toStruct(inputs));
        const resp = await this.call<provproto.CreateResponse>("create", (cb) => this.client.create(req, cb));
        if (!resp.getId()) {
            throw new ProviderError("the provider's create returned no id");
        }
        return { id: resp.getId(), outputs: fromStruct(resp.getProperties()) };
    }

    /**
     * Read. For a refresh `outputs` are the stored outputs; for `Resource.get` there are none, and the program's
     * inputs go as both the state and the inputs, as the Pulumi engine's read step sends them (step.go ReadStep.Apply:
     * "we've been passing that as state to providers since forever"). SDKs before 3.270 read the state
     * unconditionally, so leaving it out fails every get. An empty id in the answer means the object does not exist.
     */
    async read(urn: string, id: string, outputs: PropertyMap | undefined, inputs: PropertyMap): Promise<{ id: string; outputs: PropertyMap; inputs?: PropertyMap }> {
        const req = new provproto.ReadRequest();
        setTarget(req, urn);
        req.setId(id);
        req.setProperties(toStruct(outputs ?? inputs));
        req.setInputs(toStruct(inputs));
        const resp = await this.call<provproto.ReadResponse>("read", (cb) => this.client.read(req, cb));
        return {
            id: resp.getId(),
            outputs: fromStruct(resp.getProperties()),
            ...(resp.hasInputs() ? { inputs: fromStruct(resp.getInputs()) } : {}),
        };
    }

    async update(urn: string, id: string, oldOutputs: PropertyMap, news: PropertyMap, oldInputs: PropertyMap, ignoreChanges: string[]): Promise<PropertyMap> {
        const req = new provproto.UpdateRequest();
        setChange(req, urn, id, oldOutputs, news, oldInputs, ignoreChanges);
        const resp = await this.call<provproto.UpdateResponse>("update", (cb) => this.client.update(req, cb));
        return fromStruct(resp.getProperties());
    }

    async delete(urn: string, id: string, outputs: PropertyMap, oldInputs: PropertyMap): Promise<void> {
        const req = new provproto.DeleteRequest();
        setTarget(req, urn);
        req.setId(id);
        req.setProperties(toStruct(outputs));
        req.setOldInputs(toStruct(oldInputs));
        await this.call<unknown>("delete", (cb) => this.client.delete(req, cb));
    }

    async close(): Promise<void> {
        this.client.close();
        await terminate(this.child);
    }

    private call<T>(method: string, invoke: (cb: (err: grpc.ServiceError | null, resp: T) => void) => void): Promise<T> {
        return new Promise((resolve, reject) => {
            invoke((err, resp) => (err ? this.toProviderError(method, err).then(reject) : resolve(resp)));
        });
    }

    private async toProviderError(method: string, err: grpc.ServiceError): Promise<ProviderError> {
        // A provider's own error arrives as UNKNOWN with its message in the details: that is what the user wants.
        if (ANSWER_STATUSES.has(err.code)) {
            return new ProviderError(err.details || err.message, err.code);
        }
        // Anything else is the call lost, most often the host dying under it ("Connection dropped"): its exit
        // explains it better.
        const code = await Promise.race([this.exit, new Promise<undefined>((r) => setTimeout(() => r(undefined), HOST_EXIT_GRACE_MS).unref())]);
        if (code !== undefined) {
            const tail = this.stderrTail.length ? `:\n${this.stderrTail.join("\n")}` : "";
            return new CallLost(`the dynamic provider host exited (code ${code})`, method, err.code, tail);
        }
        return new CallLost(`the call to the dynamic provider host got no answer (${grpc.status[err.code] ?? err.code}: ${err.details || err.message})`, method, err.code);
    }
}

/**
 * What the CLI adds to the environment of the `pulumi-nodejs` plugin (sdk/go/common/resource/plugin/provider_plugin.go
 * NewProvider): PULUMI_RUNTIME_<OPTION> for each of Pulumi.yaml's runtime options, the project, and PULUMI_CONFIG made
 * by pkg/host/host.go defaultHost.Provider from the current stack config: only the keys of the plugin's own package,
 * `pulumi-nodejs:<name>`, as `<name>` (a provider reads its settings from Configure, which gets the whole config). No
 * stack name: the CLI sets none for a plugin.
 */
export function providerEnvironment(opts: Pick<HostOptions, "project" | "runtimeOptions" | "config">): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [option, value] of Object.entries(opts.runtimeOptions)) {
        // Go's %v of a YAML scalar: true, 4096, text.
        env[`PULUMI_RUNTIME_${option.toUpperCase()}`] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
    const own: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.config)) {
        const parsed = configKeyParts(key);
        if (parsed?.namespace === DYNAMIC_PACKAGE) own[parsed.name] = value;
    }
    return { ...env, PULUMI_NODEJS_PROJECT: opts.project, PULUMI_PROJECT: opts.project, PULUMI_CONFIG: JSON.stringify(own) };
}

/** The package of the Node.js dynamic provider: its plugin is pulumi-resource-pulumi-nodejs. */
const DYNAMIC_PACKAGE = "pulumi-nodejs";

/**
 * A config key's namespace and name as config/key.go ParseKey reads them: `<namespace>:<name>`, or the old
 * `<namespace>:config:<name>`; anything else is no key of a package.
 */
function configKeyParts(key: string): { namespace: string; name: string } | undefined {
    const parts = key.split(":");
    if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
    if (parts.length === 3 && parts[1] === "config") return { namespace: parts[0], name: parts[2] };
    return undefined;
}

function readPort(child: ChildProcess, stderrTail: string[], onOutput: (line: string) => void): Promise<number> {
    return new Promise((resolve, reject) => {
        let port: number | undefined;
        const timer = setTimeout(() => fail(`did not print its port within ${STARTUP_TIMEOUT_MS / 1000}s`), STARTUP_TIMEOUT_MS);
        const fail = (why: string) => {
            clearTimeout(timer);
            const tail = stderrTail.length ? `:\n${stderrTail.join("\n")}` : "";
            reject(new ProviderError(`could not start the dynamic provider host (${path.basename(process.execPath)} cmd/dynamic-provider): ${why}${tail}`));
        };
        readline.createInterface({ input: child.stdout! }).on("line", (line) => {
            if (port !== undefined) {
                onOutput(line);
                return;
            }
            const n = Number(line.trim());
            if (!Number.isInteger(n) || n <= 0) {
                fail(`expected its port on the first line of stdout, got '${line}'`);
                return;
            }
            port = n;
            clearTimeout(timer);
            resolve(n);
        });
        child.once("exit", (code) => {
            if (port === undefined) {
                // Let stderr drain so the reason is in the message.
                setImmediate(() => fail(`it exited with code ${code}`));
            }
        });
    });
}

interface TargetedRequest {
    setUrn(v: string): unknown;
    setName(v: string): unknown;
    setType(v: string): unknown;
}

function setTarget(req: TargetedRequest, urn: string): void {
    const parsed = parseUrn(urn);
    req.setUrn(urn);
    req.setName(parsed.name);
    req.setType(parsed.type);
}

interface ChangeRequest extends TargetedRequest {
    setId(v: string): unknown;
    setOlds(v: ReturnType<typeof toStruct>): unknown;
    setNews(v: ReturnType<typeof toStruct>): unknown;
    setOldInputs(v: ReturnType<typeof toStruct>): unknown;
    setIgnorechangesList(v: string[]): unknown;
}

/** Diff and Update carry the same fields: old outputs as `olds`, the checked inputs as `news`, the old inputs. */
function setChange(req: ChangeRequest, urn: string, id: string, oldOutputs: PropertyMap, news: PropertyMap, oldInputs: PropertyMap, ignoreChanges: string[]): void {
    setTarget(req, urn);
    req.setId(id);
    req.setOlds(toStruct(oldOutputs));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    req.setIgnorechangesList(ignoreChanges);
}
