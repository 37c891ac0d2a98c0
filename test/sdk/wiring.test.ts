// Wiring of the SDK classes, in-process with Pulumi's mocks: what each class registers, how parents' facts
// travel as inputs, which inputs are secret, and that each kind's provider text is one short require() of its module.
import { createRequire, Module } from "module";
import { beforeAll, describe, expect, it } from "vitest";

// The compiled package and the same @pulumi/pulumi instance it uses, as a program would load them.
const nativeRequire = createRequire(__filename);
const pulumi = nativeRequire("@pulumi/pulumi");
const random = nativeRequire("@pulumi/random");
const sdk = nativeRequire("pulumi-mlplatform");
const { providerText } = nativeRequire("pulumi-mlplatform/dist/sdk/provider-text.js");

interface Registered { type: string; name: string; inputs: Record<string, any> }
const registered: Registered[] = [];

beforeAll(async () => {
    await pulumi.runtime.setMocks({
        newResource(args: any) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            const outs = { ...args.inputs };
            if (args.type === "random:index/randomPassword:RandomPassword") outs.result = "generated-password";
            return { id: `${args.name}-id`, state: outs };
        },
        call: () => ({}),
    }, "wiring", "test", false);
});

const value = <T>(o: any): Promise<T> => new Promise((resolve) => o.apply((v: T) => resolve(v)));
const find = (name: string) => registered.find((r) => r.name === name)!;

function team() {
    const org = new sdk.Organization("acme", { name: "acme", displayName: "Acme", defaultZone: "ru-central1-a" });
    const community = new sdk.Community("research", { organization: org, name: "research", zone: "ru-central1-a" });
    const project = new sdk.Project("ml", { community, name: "ml", limits: { maxUnitsPerHour: 10 } });
    return { org, community, project };
}

describe("SDK wiring", () => {
    it("registers each kind under its own type token with the parent's facts as inputs", async () => {
        const { project } = team();
        const ds = new sdk.Dataset("train", { project, sizeGb: 10 });
        await value(ds.id);
        const reg = find("train");
        expect(reg.type).toBe("pulumi-nodejs:dynamic/mlplatform:Dataset");
        expect(reg.inputs).toMatchObject({ projectId: "ml-id", organization: "acme", zone: "ru-central1-a", sizeGb: 10, __owner: "urn:pulumi:test::wiring::pulumi-nodejs:dynamic/mlplatform:Dataset::train" });
        expect(typeof reg.inputs.__provider).toBe("string");
        expect(await value(ds.zone)).toBe("ru-central1-a");
    });

    it("registers only the fields the program sets, plus name and the platform's output; the rest are derived", async () => {
        const { project } = team();
        const ds = new sdk.Dataset("lean", { project, sizeGb: 3 });
        await value(ds.id);
        // Sent: what the program set (unset values are not sent at all).
        expect(Object.keys(find("lean").inputs).sort()).toEqual(["__owner", "__provider", "organization", "projectId", "sizeGb", "zone"]);
        // Registered outputs are plain values on the resource; the rest are made on first use.
        const registered = Object.entries(Object.getOwnPropertyDescriptors(ds)).filter(([, d]) => pulumi.Output.isInstance(d.value)).map(([k]) => k).sort();
        expect(registered).toEqual(["__owner", "__provider", "id", "name", "organization", "platform", "projectId", "sizeGb", "urn", "zone"]);
        // Not registered, still outputs: unset fields are undefined, platform fields come from its output
        // (the mocks echo the inputs, so there is none here).
        for (const output of [ds.labels, ds.description, ds.activated, ds.version, ds.createdAt, ds.organizationId]) {
            expect(pulumi.Output.isInstance(output)).toBe(true);
            expect(await value(output)).toBeUndefined();
        }
        expect(ds.version).toBe(ds.version); // made once, then kept
        const docker = new sdk.DockerImage("lean-image", { project, image: "cr.example.net/a/b:1" });
        expect(await pulumi.isSecret(docker.registryPassword)).toBe(true);
    });

    it("lists derived outputs among the resource's own keys, with one accessor per kind shared by its resources", async () => {
        const { project } = team();
        const a = new sdk.Dataset("own-a", { project, sizeGb: 1 });
        const b = new sdk.Dataset("own-b", { project, sizeGb: 2, description: "set" });
        // Enumerable before any read: an exported resource is walked by its own keys.
        for (const key of ["version", "createdAt", "organizationId", "labels", "description"]) expect(Object.keys(a)).toContain(key);
        const accessor = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.get;
        expect(typeof accessor(a, "version")).toBe("function");
        expect(accessor(a, "version")).toBe(accessor(b, "version")); // no closure per resource
        const version = a.version;
        expect(Object.getOwnPropertyDescriptor(a, "version")?.value).toBe(version); // made once, then kept
        expect(b.version).not.toBe(version);
        // A registered output is a plain value: b's description is the registered one, a's a derived undefined.
        expect(accessor(b, "description")).toBeUndefined();
        expect(await value(b.description)).toBe("set");
        expect(await value(a.description)).toBeUndefined();
    });

    it("carries both ends of a share, so preview can judge zones and organizations", async () => {
        const { org, project } = team();
        const other = new sdk.Community("other", { organization: org, name: "other", zone: "ru-central1-b" });
        const image = new sdk.DockerImage("img", { project, name: "img", image: "cr.example.net/a/b:1" });
        const share = new sdk.Share("img-to-other", { resource: image, community: other });
        await value(share.id);
        expect(find("img-to-other").inputs).toMatchObject({
            resourceId: "img-id", resourceKind: "DockerImage", communityId: "other-id",
            resourceName: "img", resourceZone: "ru-central1-a", resourceOrganization: "acme",
            communityName: "other", communityZone: "ru-central1-b", communityOrganization: "acme",
        });
    });

    it("carries both sides of a shared resource's use: the project and its community, the share and its community", async () => {
        const { org, community, project } = team();
        const production = new sdk.Community("production", { organization: org, name: "production", zone: "ru-central1-a" });
        const images = new sdk.Dataset("images", { project, name: "images", sizeGb: 1 });
        const share = new sdk.Share("images-to-production", { resource: images, community: production });
        const serving = new sdk.Project("serving", { community: production, name: "serving" });
        const use = new sdk.SharedResourceUse("images-in-serving", { project: serving, share });
        // A project read with get: the SDK has no community object for it, so its community's name is not sent.
        const read = new sdk.SharedResourceUse("images-in-read", { project: sdk.Project.get("read-project", "prjaaaaaaaaaaaaaaaaa"), share });
        await Promise.all([value(use.id), value(read.id)]);
        expect(find("images-in-serving").inputs).toMatchObject({
            projectId: "serving-id", shareId: "images-to-production-id",
            organization: "acme", zone: "ru-central1-a", projectName: "serving", projectCommunityId: "production-id", projectCommunityName: "production",
            resourceKind: "Dataset", resourceName: "images", shareCommunityId: "production-id",
            communityName: "production", communityZone: "ru-central1-a", communityOrganization: "acme",
        });
        expect(find("images-in-read").inputs).not.toHaveProperty("projectCommunityName");
        expect(await value(use.communityName)).toBe("production");
        void community;
    });

    it("keeps secret fields secret, including values from @pulumi/random", async () => {
        const { project } = team();
        const password = new random.RandomPassword("pw", { length: 24 });
        const secret = new sdk.Secret("token", { project, value: password.result });
        expect(await pulumi.isSecret(secret.value)).toBe(true);
        const s3 = new sdk.S3Connector("s3", { project, bucket: "ml-data", accessKeyId: "AKIA", secretAccessKey: "plain-in-program" });
        expect(await pulumi.isSecret(s3.secretAccessKey)).toBe(true);
        expect(await pulumi.isSecret(s3.accessKeyId)).toBe(true);
        expect(await pulumi.isSecret(s3.bucket)).toBe(false);
    });

    it("serializes one provider per kind, identical for every resource of that kind", async () => {
        const { project } = team();
        new sdk.Dataset("a1", { project, sizeGb: 1 });
        new sdk.Dataset("a2", { project, sizeGb: 2 });
        await value(new sdk.Dataset("a3", { project, sizeGb: 3 }).id);
        const texts = ["a1", "a2", "a3"].map((n) => find(n).inputs.__provider);
        expect(new Set(texts).size).toBe(1);
        // A require() of the kind's module (sdk/provider-text.ts), whatever the package's layout: nothing else is
        // captured (no client, database handle or configuration).
        expect(texts[0]).toBe(providerText("Dataset"));
        expect(texts[0]).toContain('require("pulumi-mlplatform/provider/dynamic/providers/Dataset")');
        expect(texts[0].length).toBeLessThan(400);
        expect(find("ml").inputs.__provider).not.toBe(texts[0]);
        // Loaded the way the dynamic-provider host loads it (a module made from the text, resolving from the
        // program's folder, then its handler()), it is that kind's provider.
        const loaded = new Module("provider-text");
        loaded.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(process.cwd());
        (loaded as unknown as { _compile(text: string, file: string): void })._compile(texts[0], "");
        const provider = (loaded.exports as { handler(): { kind: string; check: unknown } }).handler();
        expect(provider.kind).toBe("Dataset");
        expect(typeof provider.check).toBe("function");
    });

    it("registers each kind with the objects' ids and facts in place of the objects, and the program's own values", async () => {
        const { org, community, project } = team();
        const account = new sdk.BillingAccount("every-account", { organization: org, name: "main", status: "active" });
        const model = new sdk.Model("every-model", { project, name: "m", framework: "onnx" });
        const node = new sdk.Node("every-node", { project, name: "n", model, instanceSpec: { cpu: 1, memoryGb: 2 }, replicas: 2 });
        const made = [
            account,
            new sdk.BillingLink("every-link", { community, billingAccount: account }),
            new sdk.CommunityMember("every-cm", { community, subject: "userAccount:a", role: "viewer" }),
            new sdk.ProjectMember("every-pm", { project, subject: "userAccount:a", role: "admin" }),
            new sdk.Secret("every-secret", { project, name: "s", value: "v" }),
            new sdk.S3Connector("every-s3", { project, name: "s3", bucket: "bkt", accessKeyId: "a", secretAccessKey: "s", mountMode: "READ_ONLY" }),
            model, node,
            new sdk.Alias("every-alias", { project, name: "al", nodes: [{ node, weight: 3 }] }),
            new sdk.DataProcTemplate("every-dpt", { project, name: "d", cluster: { version: "2.1", masterPreset: "s", computePreset: "m", computeHosts: 1, diskGb: 1 } }),
            new sdk.SparkConnector("every-spark", { project, name: "sp", cluster: { type: "existing", clusterId: "c1" } }),
            new sdk.Checkpoint("every-ckp", { project, name: "c", sourceUri: "s3://a/b" }),
        ];
        await Promise.all(made.map((r) => value(r.id)));
        // Inputs without the provider and the owner; a secret (Pulumi's signature key) as `{ secret: value }`.
        const sent = (name: string) => {
            const { __provider, __owner, ...rest } = find(name).inputs;
            return Object.fromEntries(Object.entries(rest).map(([k, v]: [string, any]) => [k, v?.[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? { secret: v.value } : v]));
        };
        const inProject = { projectId: "ml-id", organization: "acme", zone: "ru-central1-a" };
        expect(sent("every-account")).toEqual({ organizationId: "acme-id", organization: "acme", name: "main", status: "active" });
        expect(sent("every-link")).toEqual({ communityId: "research-id", billingAccountId: "every-account-id", organization: "acme", __secretInputs: [] });
        expect(sent("every-cm")).toEqual({ communityId: "research-id", organization: "acme", subject: "userAccount:a", role: "viewer" });
        expect(sent("every-pm")).toEqual({ projectId: "ml-id", organization: "acme", subject: "userAccount:a", role: "admin" });
        expect(sent("every-secret")).toEqual({ ...inProject, name: "s", value: { secret: "v" } });
        expect(sent("every-s3")).toEqual({ ...inProject, name: "s3", bucket: "bkt", mountMode: "READ_ONLY", accessKeyId: { secret: "a" }, secretAccessKey: { secret: "s" } });
        expect(sent("every-model")).toEqual({ ...inProject, name: "m", framework: "onnx" });
        expect(sent("every-node")).toEqual({ ...inProject, name: "n", modelId: "every-model-id", instanceSpec: { cpu: 1, memoryGb: 2 }, replicas: 2, __secretInputs: [] });
        expect(sent("every-alias")).toEqual({ ...inProject, name: "al", nodes: [{ nodeId: "every-node-id", weight: 3 }], __secretInputs: [] });
        expect(sent("every-dpt")).toEqual({ ...inProject, name: "d", cluster: { version: "2.1", masterPreset: "s", computePreset: "m", computeHosts: 1, diskGb: 1 } });
        expect(sent("every-spark")).toEqual({ ...inProject, name: "sp", cluster: { type: "existing", clusterId: "c1" } });
        expect(sent("every-ckp")).toEqual({ ...inProject, name: "c", sourceUri: "s3://a/b" });
        expect(find("acme").inputs).toMatchObject({ name: "acme", displayName: "Acme", defaultZone: "ru-central1-a" });
        expect(Object.keys(find("acme").inputs).sort()).toEqual(["__owner", "__provider", "defaultZone", "displayName", "name"]);
    });

    it("reads the outputs the platform decides for a kind from its declaration", async () => {
        const org = sdk.Organization.get("read-org", "orgaaaaaaaaaaaaaaaaa");
        expect(Object.keys(org)).toEqual(expect.arrayContaining(["defaultCommunityId", "defaultCommunityName", "version"]));
        expect(pulumi.Output.isInstance(org.defaultCommunityId)).toBe(true);
    });

    it("maps alias targets and node models to ids", async () => {
        const { project } = team();
        const model = new sdk.Model("m", { project, name: "m" });
        const node = new sdk.Node("n", { project, model, instanceSpec: { cpu: 1, memoryGb: 2 } });
        const alias = new sdk.Alias("al", { project, nodes: [{ node, weight: 100 }] });
        await value(alias.id);
        expect(find("n").inputs.modelId).toBe("m-id");
        expect(find("al").inputs.nodes).toEqual([{ nodeId: "n-id", weight: 100 }]);
        expect(find("al").inputs.__repeats).toBeUndefined();
        const twice = new sdk.Alias("twice", { project, nodes: [{ node, weight: 1 }, { node: new sdk.Node("n2", { project, model, instanceSpec: { cpu: 1, memoryGb: 2 } }), weight: 1 }, { node, weight: 2 }] });
        await value(twice.id);
        expect(find("twice").inputs.__repeats).toEqual([0, 1, 0]);
    });

    it("formats one stack trace with frames per resource (its source position), not one per promise of the SDK", async () => {
        const { project } = team();
        const original = Error.prepareStackTrace;
        const traces = { formatted: 0, withFrames: 0 };
        // Stands in for source-map-support, which cmd/run installs and which makes every formatted trace costly.
        Error.prepareStackTrace = (error, frames) => {
            traces.formatted++;
            if (frames.length > 0) traces.withFrames++;
            return `${error}`;
        };
        try {
            // Constructed, registered and its outputs resolved: the promises made after construction count too.
            const ds = new sdk.Dataset("traced", { project, sizeGb: 1, description: "d", labels: { team: "ml" } });
            await value(ds.id);
            expect(await value(ds.description)).toBe("d");
        } finally {
            Error.prepareStackTrace = original;
        }
        // Every output has four promises, each recording a trace: with frames, that was over sixty per resource.
        expect(traces.formatted).toBeGreaterThan(40);
        expect(traces.withFrames).toBeLessThanOrEqual(1);
    });

    it("keeps the frames of errors, and the stack trace limit, around constructing", () => {
        const { project } = team();
        const limit = Error.stackTraceLimit;
        let thrown: Error | undefined;
        try {
            new sdk.Dataset("throws", { project, sizeGb: 1 }, { transformations: [() => { throw new Error("transformation failed"); }] });
        } catch (e) {
            thrown = e as Error;
        }
        expect(thrown?.message).toBe("transformation failed");
        expect(thrown!.stack!.split("\n").length).toBeGreaterThan(1);
        expect(Error.stackTraceLimit).toBe(limit);
        new sdk.Dataset("fine", { project, sizeGb: 1 });
        expect(Error.stackTraceLimit).toBe(limit);
    });

    it("sends the kind of a resource that cannot be shared, for check to refuse in preview; refuses a foreign object", async () => {
        const { community, project } = team();
        const model = new sdk.Model("not-shareable", { project });
        const share = new sdk.Share("bad", { resource: model, community });
        await value(share.id);
        expect(find("bad").inputs.resourceKind).toBe("Model");
        expect(() => new sdk.Share("worse", { resource: { id: "x" }, community })).toThrow(/resource must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias of this package, got Object/);
    });

    it("names the owner by the resource's URN, under its parent too, and passes adopt only when asked", async () => {
        const { project } = team();
        const parent = new pulumi.ComponentResource("acme:team:Bundle", "bundle");
        const child = new sdk.Dataset("inner", { project, sizeGb: 1 }, { parent, adopt: true });
        await value(child.id);
        expect(find("inner").inputs.__owner).toBe("urn:pulumi:test::wiring::acme:team:Bundle$pulumi-nodejs:dynamic/mlplatform:Dataset::inner");
        expect(await value(child.urn)).toBe(find("inner").inputs.__owner);
        expect(find("inner").inputs.__adopt).toBe(true);
        expect(find("train")?.inputs.__adopt).toBeUndefined();
    });

    it("lists the inputs that arrive secret, beyond the kind's own secret fields", async () => {
        const { project } = team();
        const secretive = new sdk.Dataset("secretive", { project, sizeGb: 1, description: pulumi.secret("internal codename"), labels: { team: pulumi.output("ml") } });
        const open = new sdk.Dataset("open", { project, sizeGb: 1, description: pulumi.output("plain") });
        await Promise.all([value(secretive.id), value(open.id)]);
        expect(find("secretive").inputs.__secretInputs).toEqual(["description"]);
        expect(find("open").inputs.__secretInputs).toEqual([]);
        expect(find("lean").inputs.__secretInputs).toBeUndefined(); // plain values only: nothing sent
    });

    it("tells a project whether the program declared its community's billing link", async () => {
        const { org, community } = team();
        const account = new sdk.BillingAccount("acct", { organization: org, status: "active" });
        const unlinked = new sdk.Project("before-link", { community });
        const link = new sdk.BillingLink("link", { community, billingAccount: account });
        const linked = new sdk.Project("after-link", { community }, { dependsOn: [link] });
        const read = new sdk.Project("in-read", { community: sdk.Community.get("existing", "comaaaaaaaaaaaaaaaaa") });
        await Promise.all([value(unlinked.id), value(linked.id), value(read.id)]);
        expect(find("before-link").inputs.communityBillingLinked).toBe(false);
        expect(find("after-link").inputs.communityBillingLinked).toBe(true);
        expect(find("in-read").inputs.communityBillingLinked).toBeUndefined();
    });

    it("counts a community created with its own billing account as billed, from its first project on", async () => {
        const { org } = team();
        const account = new sdk.BillingAccount("own-acct", { organization: org, status: "active" });
        const own = new sdk.Community("own-billed", { organization: org, name: "own-billed", zone: "ru-central1-a", billingAccount: account });
        const read = new sdk.Community("own-read-account", { organization: org, name: "own-read-account", zone: "ru-central1-a", billingAccount: sdk.BillingAccount.get("acct", "blaaaaaaaaaaaaaaaaaa") });
        const bare = new sdk.Community("own-bare", { organization: org, name: "own-bare", zone: "ru-central1-a", billingAccount: undefined });
        const projects = [new sdk.Project("in-own", { community: own }), new sdk.Project("in-own-read", { community: read }), new sdk.Project("in-bare", { community: bare })];
        await Promise.all(projects.map((p) => value(p.id)));
        expect(find("own-billed").inputs.billingAccountId).toBe("own-acct-id");
        expect(find("own-read-account").inputs.billingAccountId).toBe("blaaaaaaaaaaaaaaaaaa");
        expect(find("own-bare").inputs).not.toHaveProperty("billingAccountId");
        expect(find("in-own").inputs.communityBillingLinked).toBe(true);
        expect(find("in-own-read").inputs.communityBillingLinked).toBe(true);
        expect(find("in-bare").inputs.communityBillingLinked).toBe(false);
        expect(await value(own.billingAccountId)).toBe("own-acct-id");
    });
});
