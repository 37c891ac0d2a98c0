// The dynamic-provider adapters: what runs inside Pulumi's dynamic-provider host when the serialized
// KindProvider calls in. Thin: the pure plan engine decides, the control plane client acts.
import * as crypto from "crypto";
import { ControlPlaneClient } from "../client/client";
import { callGate, DEFAULT_RETRY, limitCalls } from "../client/call-limit";
import { ClientConfig, locationOf, resolveConfig, SettingName, SETTINGS, settingsFromConfig } from "../client/config";
import { embeddedClient } from "../client/embedded";
import { httpClient } from "../client/http";
import { isMissingPackage, missingPackage } from "../client/optional-package";
import { invalidArgument, isPlatformError, PlatformError, showValue, subjectOf } from "../model/errors";
import { KindDecl, kindOf, KindName } from "../model/kinds";
import { Identity, OWNER_PATTERN, PlatformObject, SECRET_DIGEST_VERSION } from "../model/contract";
import { check as checkSpec } from "../plan/check";
import { checkForBackend, unreadableFields } from "../client/backends";
import { diff, patchOf } from "../plan/diff";
import { canonicalJson } from "../model/equality";
import {
    ADOPT_KEY, AUTONAMED_KEY, LOGICAL_NAME_KEY, OWNER_KEY, HOME_KEY, PLATFORM_FIELDS, programSecretFields, PLATFORM_KEY, PROVIDER_KEY, SECRET_DIGESTS_KEY, specOf,
} from "../model/inputs";
import { ownedSuffix, SUFFIX_ALPHABET, SUFFIX_LENGTH, suffixUndecided } from "../plan/names";
import { takenOver } from "../model/ownership";
import { containsUnknown, UNKNOWN } from "../model/unknown";

type Props = Record<string, any>;

/**
 * The configuration, resolved once per host process from stack config (`mlplatform:<key>`, captured by
 * `configure`) and the environment; or why it cannot be used. A mistake (a misspelt key, a bad value) is kept
 * and thrown by every method, check included: so it fails `pulumi preview` instead of the first create. It
 * cannot be thrown from `configure` itself: the SDK's host keeps a provider whose configure failed and never
 * configures it again.
 */
let configured: { readonly settings: Partial<Record<SettingName, string>> } | { readonly problem: PlatformError } = { settings: {} };
let resolved: ClientConfig | undefined;

export function configure(config: { get(key: string): string | undefined; rawConfig?: unknown }): void {
    resolved = undefined;
    try {
        configured = { settings: settingsFromConfig(stackConfigOf(config)) };
    } catch (e) {
        configured = { problem: isPlatformError(e) ? e : new PlatformError("INVALID_ARGUMENT", String(e)) };
    }
}

/** The whole stack configuration: the host's Config object holds it as `rawConfig`; else the keys we know. */
function stackConfigOf(config: { get(key: string): string | undefined; rawConfig?: unknown }): Record<string, unknown> {
    if (typeof config.rawConfig === "object" && config.rawConfig !== null) return config.rawConfig as Record<string, unknown>;
    const bag: Record<string, unknown> = {};
    for (const key of Object.keys(SETTINGS)) {
        const value = config.get(`mlplatform:${key}`);
        if (value !== undefined) bag[`mlplatform:${key}`] = value;
    }
    return bag;
}

/** The client configuration, or the configuration mistake as an error. */
function clientConfig(): ClientConfig {
    if ("problem" in configured) throw configured.problem;
    // The host runs in the program's directory (Pulumi starts plugins there), so a relative data folder is
    // relative to the program, as the README promises.
    resolved ??= resolveConfig(configured.settings, process.env, process.cwd());
    return resolved;
}

/**
 * The datasphere client. The Yandex Cloud SDK is loaded only here, in this mode: the other backends neither load it nor
 * wait for it, and need not install it (an optional peer dependency).
 */
function dataSphere(): typeof import("../client/datasphere") {
    try {
        return require("../client/datasphere");
    } catch (e) {
        if (isMissingPackage(e, "@yandex-cloud/nodejs-sdk")) {
            throw missingPackage("datasphere", "@yandex-cloud/nodejs-sdk", "an optional peer dependency", "use the embedded or served control plane (mlplatform:backend)");
        }
        throw e;
    }
}

/**
 * Opens the configured control plane. Called inside each method, never at load or serialization time. Calls pass
 * one gate per process (call-limit.ts): the DataSphere client passes it with each request it sends and retries on
 * its own; the served control plane's calls are retried when refused for a quota or unavailable.
 */
export function openClient(): ControlPlaneClient {
    const config = clientConfig();
    if (config.mode === "datasphere") return dataSphere().dataSphereClient(config);
    const gate = callGate(config.maxConcurrentCalls);
    return config.mode === "embedded" ? limitCalls(embeddedClient(config), gate, undefined) : limitCalls(httpClient(config), gate, DEFAULT_RETRY);
}

/** The kind's check as the configured backend sees it (client/backends.ts): in preview and again at apply time. */
function check(kind: KindName, olds: Props, news: Props, suffix: () => string): ReturnType<typeof checkSpec> {
    return checkForBackend(clientConfig().mode, kind, olds, news, (given, ids) => checkSpec(kind, olds, given, suffix, ids));
}

function randomSuffix(): string {
    const bytes = crypto.randomBytes(SUFFIX_LENGTH);
    return Array.from(bytes, (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join("");
}

/**
 * The suffix of an autoname: decided by the owner and the fields that replace (names.ts), so preview, up and a
 * rerun after a crash agree. Without an owner (a caller that does not send one) it is random, as it always was.
 */
function suffixFor(decl: KindDecl, news: Props, tenant: string | undefined): () => string {
    const owner = news[OWNER_KEY];
    return typeof owner === "string" && !containsUnknown(owner) ? () => ownedSuffix(decl, owner, news, tenant) : randomSuffix;
}

/**
 * The acting subject, for a name unique across the platform (names.ts). Configured for the embedded database;
 * the served control plane says who a token is, asked once per process and only when such a name is chosen.
 */
async function tenantOf(): Promise<string | undefined> {
    const config = clientConfig();
    if (config.mode === "embedded") return config.principal;
    return (await identityOf(openClient())).principal;
}

/** Which control plane each client reaches, asked once per host process. */
const identities = new Map<string, Promise<Identity>>();
function identityOf(client: ControlPlaneClient): Promise<Identity> {
    let identity = identities.get(client.location);
    if (!identity) {
        identity = client.identity();
        identity.catch(() => identities.delete(client.location)); // an unreachable server is asked again next time
        identities.set(client.location, identity);
    }
    return identity;
}

/** Where an object's state says it lives. */
interface Residence {
    readonly controlPlaneId: string;
    readonly controlPlaneLocation: string;
}

/** Where the state says an object lives: its outputs' platform fields, or the inputs' HOME_KEY that check decided. */
function recordedHome(props: Props | undefined): { id?: unknown; location?: unknown } {
    const home = props?.[HOME_KEY];
    if (home && typeof home === "object") return home;
    return { id: props?.[PLATFORM_KEY]?.controlPlaneId, location: props?.[PLATFORM_KEY]?.controlPlaneLocation };
}

/**
 * An object lives on the control plane that created it. A stack run against another one (its endpoint forgotten,
 * another data folder) must not read the object as gone, nor change or delete a namesake: refuse, naming both.
 */
async function requireHome(decl: KindDecl, id: string, props: Props | undefined, client: ControlPlaneClient): Promise<Residence> {
    const here = { controlPlaneId: (await identityOf(client)).id, controlPlaneLocation: client.location };
    const recorded = recordedHome(props);
    const stored = recorded.id;
    if (typeof stored === "string" && stored !== here.controlPlaneId) {
        const where = recorded.location;
        throw new PlatformError("FAILED_PRECONDITION",
            `${subjectOf(decl.kind, props?.name)}${id ? ` (id ${id})` : ""} lives on control plane ${stored}${typeof where === "string" ? ` (${where})` : ""}, but the provider ` +
            `now reaches control plane ${here.controlPlaneId} (${here.controlPlaneLocation}); nothing was read or changed. Point the provider back at the ` +
            "control plane this stack was created with: mlplatform:endpoint (MLPLATFORM_ENDPOINT) for a served one, mlplatform:dataDir (MLPLATFORM_DATA_DIR) for the embedded database.");
    }
    return here;
}

/**
 * Outputs: the inputs as given, the plan-time context, and under PLATFORM_KEY what the platform decided (ids,
 * zone, versions, times): the SDK reads those from that one output instead of registering one output each.
 */
function outputsOf(inputs: Props, object: PlatformObject, home: Residence): Props {
    const outs: Props = { ...inputs };
    delete outs[LOGICAL_NAME_KEY];
    // Exactly the PLATFORM_FIELDS the SDK derives its outputs from (the compiler holds the two lists together).
    const platform = {
        organizationId: object.organizationId ?? null, // an organization's is its own id
        zone: object.zone ?? null,
        version: object.version,
        createdAt: object.createdAt,
        updatedAt: object.updatedAt,
        createdBy: object.createdBy,
    } satisfies Record<(typeof PLATFORM_FIELDS)[number], unknown>;
    Object.assign(outs, object.context, {
        [PLATFORM_KEY]: { ...platform, ...object.extra, ...home },
        [SECRET_DIGESTS_KEY]: object.secretDigests,
    });
    return outs;
}

/** The version an update read: from the platform output (or, in state written before it existed, the top level). */
function versionRead(olds: Props): number | undefined {
    const version = olds[PLATFORM_KEY]?.version ?? olds.version;
    return typeof version === "number" ? version : undefined;
}

/** Apply-time re-run of the plan-time rules, now that every value is known. */
function recheck(kind: KindName, inputs: Props): void {
    if (containsUnknown(inputs)) {
        throw new PlatformError("INTERNAL", `${kind}: some inputs are still unknown at apply time; this is a bug in the engine driving the provider.`);
    }
    const { failures } = check(kind, inputs, inputs, () => {
        throw new Error("autonaming runs in check, never at apply time");
    });
    // A name the program passed as a secret is not shown here either.
    const secretName = programSecretFields(kindOf(kind), inputs).includes("name");
    if (failures.length) throw invalidArgument(kind, secretName ? undefined : inputs.name, failures);
}

/** Errors cross the gRPC boundary as text: keep the code in front so users can tell what kind it is. */
function surfaced(e: unknown): Error {
    if (isPlatformError(e)) return new Error(`${e.code}: ${e.message}`);
    return e instanceof Error ? e : new Error(String(e));
}

/** How the platform refuses a project in a community nothing bills yet (controlplane/behaviour.ts). */
const UNBILLED_COMMUNITY = "has no active billing account linked. ";

/**
 * A project declared after its community's BillingLink but not depending on it passes preview (the SDK counts the
 * community as billed: `communityBillingLinked`), and Pulumi, which runs steps that do not wait for each other at
 * once, may create it before the link. The platform can only say that the community has no billing yet; the
 * program's fact tells why, so the error names the missing dependency and the fix.
 */
function forgottenDependency(kind: KindName, inputs: Props, e: unknown): unknown {
    if (kind !== "Project" || inputs.communityBillingLinked !== true || !isPlatformError(e, "FAILED_PRECONDITION") || !e.message.includes(UNBILLED_COMMUNITY)) return e;
    return new PlatformError(e.code, `${e.message} This program declares a BillingLink for the community, but the project does not depend on it, so Pulumi, `
        + "which creates resources that do not depend on each other at the same time, created the project first: add the link to the project's "
        + "options, `new Project(name, args, { dependsOn: [link] })`.", e.failures);
}

/**
 * Same request, same key. Secret values are left out: the key is stored in the clear, and a plain hash of a
 * weak secret could be guessed. The control plane compares full requests (secrets included, by keyed digest).
 */
function idempotencyKey(decl: KindDecl, request: string, owner: unknown, fields: Props, programSecret: readonly string[]): string {
    const visible = Object.fromEntries(Object.entries(fields).filter(([k]) => !decl.secrets.includes(k) && !programSecret.includes(k)));
    return crypto.createHash("sha256").update(`${decl.kind}\n${request}\n${typeof owner === "string" ? owner : ""}\n${canonicalJson(visible)}`).digest("base64url");
}

/** The program's `adopt` option as the control plane takes it: true, or the URN of the owner that released the object. */
function adoptionOf(inputs: Props): boolean | string | undefined {
    const adopt = inputs[ADOPT_KEY];
    return typeof adopt === "boolean" || typeof adopt === "string" ? adopt : undefined;
}

/** What refresh hands back as the resource's inputs: what the program declares, as the platform now has it. */
function observedInputs(outputs: Props): Props {
    const inputs = { ...outputs };
    delete inputs[PLATFORM_KEY];
    delete inputs[SECRET_DIGESTS_KEY];
    return inputs;
}

export interface KindHandler {
    check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
    diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
    /** `inputs`: on a refresh, what the program's inputs are on the platform now (shown against the program's). */
    read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
    update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
    delete(id: string, props: Props): Promise<void>;
}

export function handler(kind: string): KindHandler {
    const decl = kindOf(kind);
    const k = decl.kind;
    return {
        async check(olds, givenNews) {
            try {
                clientConfig();
            } catch (e) {
                throw surfaced(e);
            }
            // A resource this stack made elsewhere: refuse in preview, before any step, rather than create its new
            // siblings on this control plane and split the stack over two. The control plane is asked who it is only
            // for a resource new to the state or when the configured location changed (a moved endpoint is fine).
            let home: { id: string; location: string };
            try {
                const location = locationOf(clientConfig());
                const recorded = recordedHome(olds);
                if (typeof recorded.id === "string" && recorded.location === location) home = { id: recorded.id, location };
                else home = { id: (await requireHome(decl, "", olds, openClient())).controlPlaneId, location };
            } catch (e) {
                throw surfaced(e);
            }
            const news = givenNews ?? {};
            const choosesName = decl.named && !decl.parent && (news.name === undefined || news.name === null) && !(olds?.[AUTONAMED_KEY] === true && typeof olds?.name === "string");
            let tenant: string | undefined;
            try {
                tenant = choosesName ? await tenantOf() : undefined;
            } catch (e) {
                throw surfaced(e);
            }
            const result = check(k, olds ?? {}, news, suffixFor(decl, news, tenant));
            const inputs = result.inputs;
            inputs[HOME_KEY] = home;
            // A name seeded by a field still unknown in preview is unknown too: up decides it, the same way every time.
            if (inputs[AUTONAMED_KEY] === true && olds?.[AUTONAMED_KEY] !== true && suffixUndecided(decl, inputs)) inputs.name = UNKNOWN;
            const adopt = news?.[ADOPT_KEY];
            if (adopt !== undefined && adopt !== null && typeof adopt !== "boolean" && !(typeof adopt === "string" && OWNER_PATTERN.test(adopt)) && !containsUnknown(adopt)) {
                result.failures.push({ property: "adopt", reason: `must be true, false or the URN of the resource that released the object, got ${showValue(adopt)}. Set adopt: true to take over an object no stack manages.` });
            }
            return { inputs, failures: result.failures };
        },

        async diff(_id, olds, news) {
            const d = diff(k, olds, news);
            return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
        },

        async create(inputs) {
            try {
                recheck(k, inputs);
                const spec = specOf(decl, inputs);
                const client = openClient();
                const home = await requireHome(decl, "", undefined, client);
                const owner = typeof inputs[OWNER_KEY] === "string" ? inputs[OWNER_KEY] : undefined;
                // The key makes a retried create (after a lost reply) return the first object; with the owner, an
                // identical object that this same resource made in an interrupted run is taken over (ownership.ts),
                // and one that another stack manages is refused, naming it.
                const secretFields = programSecretFields(decl, inputs);
                const object = await client.create({
                    kind: k, spec, idempotencyKey: idempotencyKey(decl, "create", owner, spec, secretFields), adoptIdentical: true, owner, adopt: adoptionOf(inputs),
                    ...(secretFields.length ? { secretFields } : {}),
                });
                return { id: object.id, outs: outputsOf(inputs, object, home) };
            } catch (e) {
                throw surfaced(forgottenDependency(k, inputs, e));
            }
        },

        async read(id, props) {
            let object: PlatformObject;
            let home: Residence;
            try {
                const client = openClient();
                home = await requireHome(decl, id, props, client);
                object = await client.get(k, id);
            } catch (e) {
                // Deleted outside Pulumi: an empty id tells the engine to drop it from state on refresh.
                if (isPlatformError(e, "NOT_FOUND")) return { id: "", props: {} };
                throw surfaced(e);
            }
            // Taken over by another stack (its `adopt`): refresh says so, rather than keep or drop it silently.
            const lost = takenOver(object.owner, typeof props?.[OWNER_KEY] === "string" ? props[OWNER_KEY] : undefined);
            if (lost) throw surfaced(new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, props?.name)} (id ${id}) ${lost}`));
            const inputs: Props = { ...(props ?? {}) };
            // What the backend cannot read back (a DataSphere community's billing account) stays as the state has it.
            const unreadable = unreadableFields(clientConfig().mode, k);
            for (const key of Object.keys(decl.spec.shape)) {
                if (unreadable.includes(key)) continue;
                // The kind's secret fields, and those the program made secret: the platform keeps both sealed.
                if (decl.secrets.includes(key) || key in object.secretDigests) {
                    // Secrets are never read back; a changed digest means someone changed the value outside
                    // Pulumi, so drop ours and let the next update write the desired value again.
                    const before = (props?.[SECRET_DIGESTS_KEY] ?? {})[key];
                    // A digest in state from before digests were bound to their object (no "v2:") cannot be compared:
                    // taken as unchanged, and the new one recorded, rather than rewriting every secret after an upgrade.
                    const comparable = typeof before !== "string" || before.startsWith(SECRET_DIGEST_VERSION);
                    if (comparable && before !== object.secretDigests[key]) delete inputs[key];
                    continue;
                }
                if (object.spec[key] === undefined) delete inputs[key];
                else inputs[key] = object.spec[key];
            }
            if (decl.named && inputs[AUTONAMED_KEY] === undefined && props?.[PROVIDER_KEY] === undefined) {
                inputs[AUTONAMED_KEY] = false; // read with `get`: the name is whatever the object has
            }
            const outputs = outputsOf(inputs, object, home);
            // On refresh (state of ours to compare with), the inputs become what the platform has: a field changed
            // outside Pulumi then shows in the next preview's diff as the change that up will revert.
            const refreshing = props?.[PLATFORM_KEY] !== undefined;
            return { id: object.id, props: outputs, ...(refreshing ? { inputs: observedInputs(outputs) } : {}) };
        },

        async update(id, olds, news) {
            try {
                recheck(k, news);
                const patch = patchOf(diff(k, olds, news), news);
                if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news } };
                const client = openClient();
                const home = await requireHome(decl, id, olds, client);
                const owner = typeof news[OWNER_KEY] === "string" ? news[OWNER_KEY] : undefined;
                const expectedVersion = versionRead(olds);
                // Same update from the same version, same key: a retry after a crash or a lost reply converges on
                // what the first attempt did, instead of failing as a conflict with our own write.
                const secretFields = programSecretFields(decl, news);
                const key = idempotencyKey(decl, `update ${id} from ${expectedVersion ?? "any"}`, owner, patch, secretFields);
                // The URN the state recorded differs after a rename of the stack or project: it is still this resource's.
                const previousOwner = typeof olds[OWNER_KEY] === "string" && olds[OWNER_KEY] !== owner ? olds[OWNER_KEY] : undefined;
                const object = await client.update({ kind: k, id, patch, expectedVersion, owner, idempotencyKey: key, secretFields, previousOwner });
                return { outs: outputsOf(news, object, home) };
            } catch (e) {
                throw surfaced(e);
            }
        },

        async delete(id, props) {
            // A billing link cannot be removed on the platform; it goes when its community is deleted. Letting
            // Pulumi forget it keeps `destroy` (which deletes the link before the community) working.
            if (decl.goesOnlyWithParent) return;
            try {
                const client = openClient();
                await requireHome(decl, id, props, client);
                const owner = typeof props?.[OWNER_KEY] === "string" ? props[OWNER_KEY] : undefined;
                await client.delete({ kind: k, id, owner });
            } catch (e) {
                if (isPlatformError(e, "NOT_FOUND")) return; // already gone: deleting is done
                throw surfaced(e);
            }
        },
    };
}
