// The object behind every resource's `__provider` input. It must stay tiny and hold nothing but the kind's name:
// no client, no database handle, no secret. Each method loads the real implementation by package name at call time,
// inside the dynamic-provider host (which resolves it from the program's node_modules), so the text is the same for
// every resource of a kind and across versions.
//
// Each kind's provider object is the whole exports of a module of its own (providers/<Kind>.ts), and the text is a
// require() of that module: about 300 bytes instead of 3.7 KB of serialized methods. The text rides in every message
// about every resource (the program's registration, the engine's check and diff, the outputs), so its size is a
// large part of a preview's cost (BENCHMARKS.md). The SDK's classes write that text themselves
// (sdk/provider-text.ts), the same Pulumi's closure serializer writes for these exports when the package is
// installed, without the serializer's cost in every run of the program.
import type * as pulumi from "@pulumi/pulumi";

export class KindProvider implements pulumi.dynamic.ResourceProvider {
    constructor(readonly kind: string) {}

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        require("pulumi-mlplatform/provider/dynamic/host").configure(req.config);
    }
    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).check(olds, news);
    }
    async diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).diff(id, olds, news);
    }
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).create(inputs);
    }
    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).read(id, props);
    }
    async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).update(id, olds, news);
    }
    async delete(id: string, props: any): Promise<void> {
        return require("pulumi-mlplatform/provider/dynamic/host").handler(this.kind).delete(id, props);
    }
}
