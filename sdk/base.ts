// Mechanics shared by every resource class: one provider text per kind, every output exposed (registered or
// derived), secret fields wrapped as secrets on the way in and kept secret on the way out.
import * as pulumi from "@pulumi/pulumi";
import { KIND_NAMES, KindName, KINDS } from "../provider/model/kinds";
import { ADOPT_KEY, OWNER_KEY, PLATFORM_FIELDS, PLATFORM_KEY, PROVIDER_KEY, SECRET_INPUTS_KEY } from "../provider/model/inputs";
import { withoutPromiseTraces } from "./promise-traces";
import { PlatformOutputs } from "./platform-outputs";
import { providerText } from "./provider-text";
import { leaveOutRegistrationTraces } from "./registration-logs";

/** Every output a kind's class exposes: its fields, its plan-time context and what the platform decides (PLATFORM_FIELDS and the kind's `outputs`). */
const OUTPUT_NAMES = new Map<KindName, readonly string[]>();
function outputNames(kind: KindName): readonly string[] {
    let names = OUTPUT_NAMES.get(kind);
    if (!names) {
        const decl = KINDS[kind];
        names = [...new Set([...Object.keys(decl.spec.shape), ...decl.context, ...PLATFORM_FIELDS, ...Object.keys(decl.outputs)])];
        OUTPUT_NAMES.set(kind, names);
    }
    return names;
}

/** The module part of every type token: `pulumi-nodejs:dynamic/mlplatform:<Kind>`. */
export const TYPE_MODULE = "mlplatform";
/**
 * A kind's type token, as pulumi.dynamic.Resource makes it from a module and a type: the `pulumi-nodejs` package is
 * what sends the resource to the dynamic-provider host.
 */
function typeToken(kind: KindName): string {
    return `pulumi-nodejs:dynamic/${TYPE_MODULE}:${kind}`;
}
/** The type token of each kind. */
export const TYPE_TOKENS: ReadonlySet<string> = new Set(KIND_NAMES.map(typeToken));

// Two costs of the Pulumi Node SDK that grow with every resource and buy a program nothing: stack traces recorded
// for a leak report nobody asked for (promise-traces.ts), and three debug messages per registration of our
// resources (registration-logs.ts). Both modules are the ones this package's @pulumi/pulumi registers through.
// Both reach into the SDK's files: if a later SDK moves them, the package still loads, without the saving.
const sdkModule = (path: string): any => {
    try {
        return require(path);
    } catch {
        return undefined;
    }
};
const debuggable = sdkModule("@pulumi/pulumi/runtime/debuggable");
if (debuggable) withoutPromiseTraces(debuggable);
const sdkLog = sdkModule("@pulumi/pulumi/log");
if (sdkLog) leaveOutRegistrationTraces(sdkLog, TYPE_TOKENS);

/** The resource options of every class: Pulumi's, plus `adopt`. */
export interface PlatformResourceOptions extends pulumi.CustomResourceOptions {
    /**
     * Take over an object that exists already under this resource's name (or unique key) instead of failing with
     * ALREADY_EXISTS; its fields must match the program. `true` takes one that no stack manages (made in the
     * console or by another tool); the URN of another stack's resource takes one that stack released (removed from
     * its state, or retained on delete), as the ALREADY_EXISTS error names it. An object another stack still
     * manages is never taken: two stacks never manage one object. Only read when the resource is created.
     */
    adopt?: pulumi.Input<boolean | string>;
}

/** Resources read with `get`: their facts (a community's billing link, say) are the platform's, not the program's. */
const readResources = new WeakSet<object>();
/** The kind of each resource of this package, for a Share to name what it publishes. */
const kinds = new WeakMap<object, KindName>();
export function platformKindOf(resource: unknown): KindName | undefined {
    return typeof resource === "object" && resource !== null ? kinds.get(resource) : undefined;
}
export function isRead(resource: object): boolean {
    return readResources.has(resource);
}

/** The resource's URN: a plain string when its parent is the stack, as for most resources of a platform program. */
function ownerUrn(name: string, kind: KindName, parent: pulumi.Resource | undefined): pulumi.Input<string> {
    const type = typeToken(kind);
    return parent ? pulumi.createUrn(name, type, parent) : `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
}

/**
 * The names of top-level inputs whose values are secret, when any input the program wrote may hold an output (the
 * parent's id and the plan-time facts come from our own resources and are left out: most programs then send none). The dynamic provider
 * host hands the provider plain values, so without this a `pulumi.secret` in a field the platform does not treat
 * as secret would be printed in a check failure.
 */
function secretInputNames(inputs: Record<string, unknown>, declaredSecret: readonly string[]): pulumi.Output<string[]> | undefined {
    const candidates = Object.entries(inputs).filter(([key, value]) => !declaredSecret.includes(key) && mayHoldOutput(value));
    if (candidates.length === 0) return undefined;
    const names = Promise.all(candidates.map(async ([key, value]) => ((await pulumi.isSecret(pulumi.output(value))) ? key : undefined)));
    return pulumi.output(names).apply((list) => list.filter((key): key is string => key !== undefined));
}

function mayHoldOutput(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
    if (Array.isArray(value)) return value.some(mayHoldOutput);
    return typeof value === "object" && value !== null && Object.values(value).some(mayHoldOutput);
}

/** Every class of the SDK: its outputs are declared by the generated classes, the platform's in PlatformOutputs. */
export abstract class PlatformResource extends PlatformOutputs {
    protected constructor(kind: KindName, name: string, inputs: Record<string, unknown> | undefined, platformOpts: PlatformResourceOptions | undefined) {
        const decl = KINDS[kind];
        const { adopt, ...opts } = platformOpts ?? {};
        // Pulumi makes an output of exactly the keys in props, each costing a few promises and kilobytes of memory
        // for the life of the program. So props hold what the program sets (and `name`, which the provider picks
        // when it is not set), plus one output with what the platform decided; every other output is read from
        // that one when first used. An object read with `get` has all its fields as outputs.
        const props: Record<string, unknown> = {};
        if (inputs && !opts.id) {
            for (const [key, value] of Object.entries(inputs)) {
                if (value !== undefined) props[key] = decl.secrets.includes(key) ? pulumi.secret(value) : value;
            }
            if (decl.named && !("name" in props)) props.name = undefined;
            // Who manages the object: this resource's URN, made the way the engine makes it. The control plane
            // records it (ownership.ts); it seeds an autoname, so preview, up and a rerun pick the same one; and the
            // provider reads the logical name from it (one input instead of two: each costs the program memory).
            props[OWNER_KEY] = ownerUrn(name, kind, opts.parent);
            if (adopt !== undefined) props[ADOPT_KEY] = adopt;
            const secretNames = secretInputNames(inputs, [...decl.secrets, ...decl.context, ...(decl.parent ? [decl.parent.field] : [])]);
            if (secretNames) props[SECRET_INPUTS_KEY] = secretNames;
        } else {
            for (const key of [...Object.keys(decl.spec.shape), ...decl.context]) props[key] = undefined;
        }
        props[PLATFORM_KEY] = undefined;
        const options = { ...opts, additionalSecretOutputs: [...decl.secrets, ...(opts.additionalSecretOutputs ?? [])] };
        // What pulumi.dynamic.Resource does, with the provider's text written here (provider-text.ts).
        props[PROVIDER_KEY] = providerText(kind);
        super(typeToken(kind), name, props, options);
        if (opts.id) readResources.add(this);
        kinds.set(this, kind);
        for (const key of outputNames(kind)) {
            if (!(key in props)) Object.defineProperty(this, key, derivedOutput(kind, key));
        }
    }
}

/**
 * An output the resource was not registered with: a platform field is read from the `platform` output, a field the
 * program did not set is undefined. Made on first use, then kept on the resource. Each resource has it as its own
 * enumerable property, like a registered output (the SDK walks a resource's own keys when it is exported as a stack
 * output), but the accessor is one per kind and output, shared by every resource: a closure per output of every
 * resource was kept for the life of the program.
 */
const DERIVED_OUTPUTS = new Map<string, PropertyDescriptor>();
function derivedOutput(kind: KindName, key: string): PropertyDescriptor {
    const id = `${kind}.${key}`;
    let descriptor = DERIVED_OUTPUTS.get(id);
    if (!descriptor) {
        const secret = KINDS[kind].secrets.includes(key);
        const fromPlatform = (PLATFORM_FIELDS as readonly string[]).includes(key) || key in KINDS[kind].outputs;
        descriptor = {
            configurable: true,
            enumerable: true,
            get(this: PlatformResource) {
                const platform = (this as unknown as Record<string, pulumi.Output<Record<string, unknown> | undefined>>)[PLATFORM_KEY];
                const value = platform.apply((p) => (fromPlatform ? p?.[key] : undefined));
                const output = secret ? pulumi.secret(value) : value;
                Object.defineProperty(this, key, { value: output, configurable: true, enumerable: true });
                return output;
            },
        };
        DERIVED_OUTPUTS.set(id, descriptor);
    }
    return descriptor;
}
