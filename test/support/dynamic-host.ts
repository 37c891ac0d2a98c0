// Drives Pulumi's own dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider) over gRPC, exactly as the
// engine does: each resource carries the provider text the SDK's classes write, and every call goes through the host.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";

// Native require: the compiled package as Pulumi programs load it, not a test-transformed copy.
const nativeRequire = createRequire(__filename);
const grpc = nativeRequire("@grpc/grpc-js");
const structpb = nativeRequire("google-protobuf/google/protobuf/struct_pb");
const provrpc = nativeRequire("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = nativeRequire("@pulumi/pulumi/proto/provider_pb");
const sdkProviderText: (kind: string) => string = nativeRequire("pulumi-mlplatform/dist/sdk/provider-text.js").providerText;

export const REPO = path.resolve(__dirname, "../..");
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PROJECT = "hosttest";
type Props = Record<string, any>;

/** The `__provider` text the SDK's classes send for a kind (sdk/provider-text.ts). */
export async function providerText(kind: string): Promise<string> {
    return sdkProviderText(kind);
}

export interface CheckFailure { property: string; reason: string }

export class DynamicHost {
    private constructor(private readonly child: ChildProcess, private readonly client: any, readonly stderr: string[]) {}

    /** Starts the host in `cwd` (the program's directory) and configures it with stack config. */
    static async start(config: Record<string, string>, cwd = REPO): Promise<DynamicHost> {
        const script = nativeRequire.resolve("@pulumi/pulumi/cmd/dynamic-provider");
        const child = spawn(process.execPath, [script, "127.0.0.1:1"], {
            cwd,
            env: { ...process.env, PULUMI_NODEJS_PROJECT: PROJECT, PULUMI_PROJECT: PROJECT, PULUMI_CONFIG: JSON.stringify(config) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        child.stderr!.on("data", (d) => stderr.push(String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            let buffer = "";
            child.stdout!.on("data", (d) => {
                buffer += d;
                const m = buffer.match(/^(\d+)\s*$/m);
                if (m) resolve(Number(m[1]));
            });
            child.on("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}: ${stderr.join("")}`)));
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new DynamicHost(child, client, stderr);
        const req = new provproto.ConfigureRequest();
        req.setArgs(structpb.Struct.fromJavaScript(config));
        await host.rpc("configure", req);
        return host;
    }

    private rpc(method: string, req: unknown): Promise<any> {
        return new Promise((resolve, reject) => this.client[method](req, (e: any, r: any) => (e ? reject(Object.assign(new Error(e.details ?? e.message), { code: e.code })) : resolve(r))));
    }

    private async request(Cls: any, kind: string, fields: Record<string, unknown>): Promise<any> {
        const req = new Cls();
        const type = `pulumi-nodejs:dynamic/mlplatform:${kind}`;
        req.setUrn(`urn:pulumi:test::${PROJECT}::${type}::r`);
        if (req.setName) req.setName("r");
        if (req.setType) req.setType(type);
        for (const [key, value] of Object.entries(fields)) {
            req[`set${key}`](value !== null && typeof value === "object" ? structpb.Struct.fromJavaScript(value) : value);
        }
        return req;
    }

    /** Adds the serialized provider, as the SDK does for every resource. */
    async withProvider(kind: string, props: Props): Promise<Props> {
        return { ...props, __provider: await providerText(kind) };
    }

    async check(kind: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
        const resp = await this.rpc("check", await this.request(provproto.CheckRequest, kind, { Olds: olds, News: await this.withProvider(kind, news) }));
        return {
            inputs: resp.getInputs().toJavaScript(),
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(kind: string, id: string, olds: Props, news: Props): Promise<{ changes: "unknown" | "none" | "some"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const resp = await this.rpc("diff", await this.request(provproto.DiffRequest, kind, { Id: id, Olds: olds, News: news, OldInputs: olds }));
        return {
            changes: (["unknown", "none", "some"] as const)[resp.getChanges()],
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
    }

    async create(kind: string, inputs: Props): Promise<{ id: string; outs: Props }> {
        const resp = await this.rpc("create", await this.request(provproto.CreateRequest, kind, { Properties: inputs }));
        return { id: resp.getId(), outs: resp.getProperties().toJavaScript() };
    }

    /** Read; `inputs` is what the provider says the inputs now are (present on a refresh of our own state). */
    async read(kind: string, id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }> {
        const resp = await this.rpc("read", await this.request(provproto.ReadRequest, kind, { Id: id, Properties: props, Inputs: props }));
        return { id: resp.getId(), props: resp.getProperties()?.toJavaScript() ?? {}, ...(resp.hasInputs() ? { inputs: resp.getInputs().toJavaScript() } : {}) };
    }

    async update(kind: string, id: string, olds: Props, news: Props): Promise<Props> {
        const resp = await this.rpc("update", await this.request(provproto.UpdateRequest, kind, { Id: id, Olds: olds, News: news, OldInputs: olds }));
        return resp.getProperties().toJavaScript();
    }

    async delete(kind: string, id: string, props: Props): Promise<void> {
        await this.rpc("delete", await this.request(provproto.DeleteRequest, kind, { Id: id, Properties: props, OldInputs: props }));
    }

    /** check then create, as `pulumi up` does for a new resource; fails on check failures. */
    async up(kind: string, news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
        const checked = await this.check(kind, {}, news);
        if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        return { ...(await this.create(kind, checked.inputs)), inputs: checked.inputs };
    }

    /** Ends the host; resolves once its process has exited, so that nothing of it holds its database open any more. */
    stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
        const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
        this.child.kill();
        return exited;
    }
}

/** A host on an embedded database in a folder of its own; `remove` ends the host, then deletes the folder. */
export interface HostOnOwnDatabase {
    readonly host: DynamicHost;
    readonly dataDir: string;
    remove(): Promise<void>;
}

/**
 * Starts a host on an embedded database in a new folder `mlp-<name>-…` of the system's temporary folder. Call
 * `remove` when done (after closing any database the test opened there itself), or the folder stays behind.
 */
export async function hostOnOwnDatabase(name: string): Promise<HostOnOwnDatabase> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `mlp-${name}-`));
    const removeFolder = () => fs.rmSync(dataDir, { recursive: true, force: true });
    let host: DynamicHost;
    try {
        host = await DynamicHost.start({ "mlplatform:dataDir": dataDir });
    } catch (e) {
        removeFolder();
        throw e;
    }
    return {
        host,
        dataDir,
        remove: async () => {
            await host.stop();
            removeFolder();
        },
    };
}

/** The URN of resource `name` of kind `kind` in stack `stack` of project "team": what the SDK sends as the owner. */
export const ownerUrn = (stack: string, kind: string, name: string) => `urn:pulumi:${stack}::team::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;

/** An organization, a billing account, a community linked to it and a project, as stack `stack` creates them through the host, one after another. */
export async function ownedWorld(host: DynamicHost, stack: string) {
    const org = await host.up("Organization", { __owner: ownerUrn(stack, "Organization", "org"), displayName: `Org ${stack}`, defaultZone: "ru-central1-a" });
    const o = org.outs.name;
    const account = await host.up("BillingAccount", { __owner: ownerUrn(stack, "BillingAccount", "main"), organizationId: org.id, organization: o, status: "active" });
    const community = await host.up("Community", { __owner: ownerUrn(stack, "Community", "team"), organizationId: org.id, organization: o, zone: "ru-central1-a" });
    await host.up("BillingLink", { __owner: ownerUrn(stack, "BillingLink", "link"), communityId: community.id, billingAccountId: account.id, organization: o });
    const project = await host.up("Project", { __owner: ownerUrn(stack, "Project", "ml"), communityId: community.id, organization: o, zone: "ru-central1-a" });
    return { org, account, community, project };
}

/** A dataset's inputs in `project`, owned by `owner`. */
export const ownedDataset = (project: { id: string; outs: Props }, owner: string, extra: Props = {}): Props => ({
    __owner: owner, projectId: project.id, organization: project.outs.organization, zone: project.outs.zone, sizeGb: 5, ...extra,
});
