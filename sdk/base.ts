// Mechanics shared by every resource class: one serialized provider per kind, every output declared, secret
// fields wrapped as secrets on the way in and kept secret on the way out.
import * as pulumi from "@pulumi/pulumi";
import { KindName, KINDS } from "../provider/model/kinds";
import type { KindProvider } from "../provider/dynamic/provider";
import { LOGICAL_NAME_KEY } from "../provider/plan/inputs";

/**
 * Pulumi serializes the provider once per provider object, so there is exactly one object per kind: the exports of
 * the kind's module, which Pulumi serializes as a require() of it (provider/dynamic/provider.ts).
 */
function providerFor(kind: KindName): KindProvider {
    return require(`../provider/dynamic/providers/${kind}`) as KindProvider;
}

/** Outputs every kind gets from the platform. */
const PLATFORM_OUTPUTS = ["organizationId", "zone", "version", "createdAt", "updatedAt", "createdBy"] as const;
/** Extra outputs of particular kinds. */
const KIND_OUTPUTS: Partial<Record<KindName, readonly string[]>> = {
    Organization: ["defaultCommunityId", "defaultCommunityName"],
};

/** The module part of every type token: `pulumi-nodejs:dynamic/mlplatform:<Kind>`. */
export const TYPE_MODULE = "mlplatform";

export abstract class PlatformResource extends pulumi.dynamic.Resource {
    /** The platform's id of this object. */
    declare readonly id: pulumi.Output<string>;
    /** Id of the organization this object belongs to. */
    declare readonly organizationId: pulumi.Output<string>;
    /** Version of the object on the platform; every update adds one. */
    declare readonly version: pulumi.Output<number>;
    /** When the platform created the object (ISO 8601). */
    declare readonly createdAt: pulumi.Output<string>;
    /** When the object last changed (ISO 8601). */
    declare readonly updatedAt: pulumi.Output<string>;
    /** The subject that created the object. */
    declare readonly createdBy: pulumi.Output<string>;

    protected constructor(kind: KindName, name: string, inputs: Record<string, unknown> | undefined, opts: pulumi.CustomResourceOptions | undefined) {
        const decl = KINDS[kind];
        const props: Record<string, unknown> = {};
        // Pulumi exposes as outputs exactly the keys present in props, so list every one, unset.
        for (const key of [...Object.keys(decl.spec.shape), ...decl.context, ...PLATFORM_OUTPUTS, ...(KIND_OUTPUTS[kind] ?? [])]) props[key] = undefined;
        if (inputs && !opts?.id) {
            for (const [key, value] of Object.entries(inputs)) {
                props[key] = decl.secrets.includes(key) && value !== undefined ? pulumi.secret(value) : value;
            }
            props[LOGICAL_NAME_KEY] = name;
        }
        const options = { ...opts, additionalSecretOutputs: [...decl.secrets, ...(opts?.additionalSecretOutputs ?? [])] };
        const stackTraceLimit = Error.stackTraceLimit;
        if (!KEEP_PROMISE_STACKS) Error.stackTraceLimit = 0;
        try {
            super(providerFor(kind), name, props, options, TYPE_MODULE, kind);
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }
}

/**
 * While it constructs a resource, the Pulumi SDK records a stack trace for each of the four promises behind every
 * output property (only ever printed by its promise-leak report), and `cmd/run` formats each one through
 * source-map-support: about 80 traces and 5 ms of CPU per resource of ours, most of a preview's time in the
 * program (BENCHMARKS.md). Constructing with no frames to record skips that work. The resource's source position
 * is unaffected (the SDK lifts the limit itself to find it), as are errors raised later, after the constructor;
 * an error thrown synchronously inside it (a transformation) reports its message without frames. Setting
 * PULUMI_DEBUG_PROMISE_LEAKS, the SDK's switch for leak reports, keeps every frame.
 */
const KEEP_PROMISE_STACKS = !!process.env.PULUMI_DEBUG_PROMISE_LEAKS;

/** Fields a child copies from its parent so plan-time rules can decide during preview. */
export interface OrganizationScoped {
    readonly id: pulumi.Output<string>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    readonly organization: pulumi.Output<string>;
}

export interface Zoned extends OrganizationScoped {
    /** Availability zone the object lives in (its community's zone). */
    readonly zone: pulumi.Output<string>;
}
