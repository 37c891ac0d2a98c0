// The dynamic-provider adapters: what runs inside Pulumi's dynamic-provider host when the serialized
// KindProvider calls in. Thin: the pure plan engine decides, the control plane client acts.
import * as crypto from "crypto";
import { ControlPlaneClient } from "../client/client";
import { resolveConfig, SettingName, SETTINGS } from "../client/config";
import { embeddedClient } from "../client/embedded";
import { httpClient } from "../client/http";
import { invalidArgument, isPlatformError, PlatformError } from "../model/errors";
import { KindDecl, kindOf, KindName } from "../model/kinds";
import type { PlatformObject } from "../controlplane/service";
import { check } from "../plan/check";
import { diff, patchOf } from "../plan/diff";
import { canonicalJson } from "../plan/equality";
import { LOGICAL_NAME_KEY, AUTONAMED_KEY, PLATFORM_FIELDS, PLATFORM_KEY, PROVIDER_KEY, SECRET_DIGESTS_KEY, specOf } from "../plan/inputs";
import { SUFFIX_ALPHABET, SUFFIX_LENGTH } from "../plan/names";
import { containsUnknown } from "../plan/unknown";

type Props = Record<string, any>;

/** Settings from stack config (`mlplatform:<key>`), captured by `configure`; the environment fills the rest. */
let configured: Partial<Record<SettingName, string>> = {};

export function configure(config: { get(key: string): string | undefined }): void {
    const values: Partial<Record<SettingName, string>> = {};
    for (const key of Object.keys(SETTINGS) as SettingName[]) {
        const value = config.get(`mlplatform:${key}`);
        if (value !== undefined) values[key] = value;
    }
    configured = values;
}

/** Opens the configured control plane. Called inside each method, never at load or serialization time. */
export function openClient(): ControlPlaneClient {
    // The host runs in the program's directory (Pulumi starts plugins there), so a relative data folder is
    // relative to the program, as the README promises.
    const config = resolveConfig(configured, process.env, process.cwd());
    return config.mode === "embedded" ? embeddedClient(config) : httpClient(config);
}

function randomSuffix(): string {
    const bytes = crypto.randomBytes(SUFFIX_LENGTH);
    return Array.from(bytes, (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join("");
}

/**
 * Outputs: the inputs as given, the plan-time context, and under PLATFORM_KEY what the platform decided (ids,
 * zone, versions, times): the SDK reads those from that one output instead of registering one output each.
 */
function outputsOf(decl: KindDecl, inputs: Props, object: PlatformObject): Props {
    const outs: Props = { ...inputs };
    delete outs[LOGICAL_NAME_KEY];
    // Exactly the PLATFORM_FIELDS the SDK derives its outputs from (the compiler holds the two lists together).
    const platform = {
        organizationId: decl.kind === "Organization" ? object.id : object.organizationId ?? null,
        zone: object.zone ?? null,
        version: object.version,
        createdAt: object.createdAt,
        updatedAt: object.updatedAt,
        createdBy: object.createdBy,
    } satisfies Record<(typeof PLATFORM_FIELDS)[number], unknown>;
    Object.assign(outs, object.context, {
        [PLATFORM_KEY]: { ...platform, ...object.extra },
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
    if (failures.length) throw invalidArgument(kind, inputs.name, failures);
}

/** Errors cross the gRPC boundary as text: keep the code in front so users can tell what kind it is. */
function surfaced(e: unknown): Error {
    if (isPlatformError(e)) return new Error(`${e.code}: ${e.message}`);
    return e instanceof Error ? e : new Error(String(e));
}

/**
 * Same request, same key. Secret values are left out: the key is stored in the clear, and a plain hash of a
 * weak secret could be guessed. The control plane compares full requests (secrets included, by keyed digest).
 */
function idempotencyKey(decl: KindDecl, spec: Props): string {
    const visible = Object.fromEntries(Object.entries(spec).filter(([k]) => !decl.secrets.includes(k)));
    return crypto.createHash("sha256").update(`${decl.kind}\n${canonicalJson(visible)}`).digest("base64url");
}

export interface KindHandler {
    check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
    diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
    read(id: string, props: Props): Promise<{ id: string; props: Props }>;
    update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
    delete(id: string, props: Props): Promise<void>;
}

export function handler(kind: string): KindHandler {
    const decl = kindOf(kind);
    const k = decl.kind;
    return {
        async check(olds, news) {
            const result = check(k, olds ?? {}, news ?? {}, randomSuffix);
            return { inputs: result.inputs, failures: result.failures };
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
                // The key makes a retried create (after a crash or a lost reply) return the first object;
                // adoptIdentical takes over an identical object an interrupted run left behind.
                const object = await client.create({ kind: k, spec, idempotencyKey: idempotencyKey(decl, spec), adoptIdentical: true });
                return { id: object.id, outs: outputsOf(decl, inputs, object) };
            } catch (e) {
                throw surfaced(e);
            }
        },

        async read(id, props) {
            let object: PlatformObject;
            try {
                object = await openClient().get(k, id);
            } catch (e) {
                // Deleted outside Pulumi: an empty id tells the engine to drop it from state on refresh.
                if (isPlatformError(e, "NOT_FOUND")) return { id: "", props: {} };
                throw surfaced(e);
            }
            const inputs: Props = { ...(props ?? {}) };
            for (const key of Object.keys(decl.spec.shape)) {
                if (decl.secrets.includes(key)) {
                    // Secrets are never read back; a changed digest means someone changed the value outside
                    // Pulumi, so drop ours and let the next update write the desired value again.
                    const before = (props?.[SECRET_DIGESTS_KEY] ?? {})[key];
                    if (before !== object.secretDigests[key]) delete inputs[key];
                    continue;
                }
                if (object.spec[key] === undefined) delete inputs[key];
                else inputs[key] = object.spec[key];
            }
            if (decl.named && inputs[AUTONAMED_KEY] === undefined && props?.[PROVIDER_KEY] === undefined) {
                inputs[AUTONAMED_KEY] = false; // read with `get`: the name is whatever the object has
            }
            return { id: object.id, props: outputsOf(decl, inputs, object) };
        },

        async update(id, olds, news) {
            try {
                recheck(k, news);
                const patch = patchOf(k, olds, news);
                if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news } };
                const object = await openClient().update({ kind: k, id, patch, expectedVersion: versionRead(olds) });
                return { outs: outputsOf(decl, news, object) };
            } catch (e) {
                throw surfaced(e);
            }
        },

        async delete(id) {
            // A billing link cannot be removed on the platform; it goes when its community is deleted. Letting
            // Pulumi forget it keeps `destroy` (which deletes the link before the community) working.
            if (k === "BillingLink") return;
            try {
                await openClient().delete(k, id);
            } catch (e) {
                if (isPlatformError(e, "NOT_FOUND")) return; // already gone: deleting is done
                throw surfaced(e);
            }
        },
    };
}
