// Mechanics shared by every resource class: one serialized provider per kind, every output exposed (registered or
// derived), secret fields wrapped as secrets on the way in and kept secret on the way out.
import * as pulumi from "@pulumi/pulumi";
import { KindName, KINDS } from "../provider/model/kinds";
import type { KindProvider } from "../provider/dynamic/provider";
import { LOGICAL_NAME_KEY, PLATFORM_FIELDS, PLATFORM_KEY } from "../provider/plan/inputs";
import { withoutPromiseTraces } from "./promise-traces";
import { leaveOutRegistrationTraces } from "./registration-logs";

// Two costs of the Pulumi Node SDK that grow with every resource and buy a program nothing: stack traces recorded
// for a leak report nobody asked for (promise-traces.ts), and three debug messages per registration of our
// resources (registration-logs.ts). Both modules are the ones this package's @pulumi/pulumi registers through.
withoutPromiseTraces(require("@pulumi/pulumi/runtime/debuggable"));
leaveOutRegistrationTraces(require("@pulumi/pulumi/log"));

/**
 * Pulumi serializes the provider once per provider object, so there is exactly one object per kind: the exports of
 * the kind's module, which Pulumi serializes as a require() of it (provider/dynamic/provider.ts).
 */
function providerFor(kind: KindName): KindProvider {
    return require(`../provider/dynamic/providers/${kind}`) as KindProvider;
}

/** Outputs of particular kinds, beyond PLATFORM_FIELDS, that the platform decides. */
const KIND_OUTPUTS: Partial<Record<KindName, readonly string[]>> = {
    Organization: ["defaultCommunityId", "defaultCommunityName"],
};

/** Every output a kind's class exposes: its fields, its plan-time context and what the platform decides. */
const OUTPUT_NAMES = new Map<KindName, readonly string[]>();
function outputNames(kind: KindName): readonly string[] {
    let names = OUTPUT_NAMES.get(kind);
    if (!names) {
        const decl = KINDS[kind];
        names = [...new Set([...Object.keys(decl.spec.shape), ...decl.context, ...PLATFORM_FIELDS, ...(KIND_OUTPUTS[kind] ?? [])])];
        OUTPUT_NAMES.set(kind, names);
    }
    return names;
}

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
        // Pulumi makes an output of exactly the keys in props, each costing a few promises and kilobytes of memory
        // for the life of the program. So props hold what the program sets (and `name`, which the provider picks
        // when it is not set), plus one output with what the platform decided; every other output is read from
        // that one when first used. An object read with `get` has all its fields as outputs.
        const props: Record<string, unknown> = {};
        if (inputs && !opts?.id) {
            for (const [key, value] of Object.entries(inputs)) {
                if (value !== undefined) props[key] = decl.secrets.includes(key) ? pulumi.secret(value) : value;
            }
            if (decl.named && !("name" in props)) props.name = undefined;
            props[LOGICAL_NAME_KEY] = name;
        } else {
            for (const key of [...Object.keys(decl.spec.shape), ...decl.context]) props[key] = undefined;
        }
        props[PLATFORM_KEY] = undefined;
        const options = { ...opts, additionalSecretOutputs: [...decl.secrets, ...(opts?.additionalSecretOutputs ?? [])] };
        super(providerFor(kind), name, props, options, TYPE_MODULE, kind);
        defineDerivedOutputs(Object.getPrototypeOf(this) as object, kind);
    }
}

/**
 * The outputs a resource was not registered with: a platform field is read from the `platform` output, a field the
 * program did not set is undefined. They are accessors on the class's prototype, defined once per class rather than
 * once per resource (a closure and a property each, for every output of every resource, was about 5 KB a resource
 * kept for the life of the program). A registered output is the resource's own property and hides the accessor:
 * the SDK assigns it, which the setter turns into an own property. A derived output is made on first use, then kept
 * on the resource.
 */
const PROTOTYPES_WITH_OUTPUTS = new WeakSet<object>();
function defineDerivedOutputs(prototype: object, kind: KindName): void {
    if (PROTOTYPES_WITH_OUTPUTS.has(prototype)) return;
    PROTOTYPES_WITH_OUTPUTS.add(prototype);
    const secrets = KINDS[kind].secrets;
    for (const key of outputNames(kind)) {
        const fromPlatform = (PLATFORM_FIELDS as readonly string[]).includes(key) || (KIND_OUTPUTS_ALL as readonly string[]).includes(key);
        Object.defineProperty(prototype, key, {
            configurable: true,
            enumerable: false,
            get(this: PlatformResource) {
                const platform = (this as unknown as Record<string, pulumi.Output<Record<string, unknown> | undefined>>)[PLATFORM_KEY];
                const value = platform.apply((p) => (fromPlatform ? p?.[key] : undefined));
                const output = secrets.includes(key) ? pulumi.secret(value) : value;
                setOwnOutput(this, key, output);
                return output;
            },
            set(this: PlatformResource, value: unknown) {
                setOwnOutput(this, key, value);
            },
        });
    }
}

function setOwnOutput(resource: PlatformResource, key: string, value: unknown): void {
    Object.defineProperty(resource, key, { value, writable: true, configurable: true, enumerable: true });
}
const KIND_OUTPUTS_ALL = Object.values(KIND_OUTPUTS).flat();


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
