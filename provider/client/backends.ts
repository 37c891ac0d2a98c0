// What each backend can do with each kind, in one place. The embedded and served control planes implement every
// kind; Yandex Cloud DataSphere's public API v2 creates only communities, projects, roles and shares, reads
// organizations and billing accounts, and has no call at all for the rest. The provider host asks here in `check`,
// so a program the backend cannot carry out fails in `pulumi preview`, naming the mode, the kind and what to do
// instead; the DataSphere client asks again before it calls anything. Pure: no SDK, no IO.
import { Failure, showValue } from "../model/errors";
import { canonicalJson } from "../model/equality";
import { containsUnknown } from "../model/unknown";
import { EMULATOR_IDS, IdForm, IdShape } from "../model/ids";
import { KindName, KINDS, SHAREABLE_KINDS } from "../model/kinds";
import type { ClientConfig } from "./config";

export type BackendMode = ClientConfig["mode"];

/** How one kind fares in the datasphere mode. */
export type DataSphereSupport =
    /**
     * Created, updated, read and deleted through the API; `fields` are the spec fields it can set. `createOnly`: of
     * those, the ones the API takes only when the object is created and never returns: a change fails in preview (a
     * replacement would delete what the object holds), and refresh keeps the state's value instead of reading it.
     */
    | { readonly mode: "managed"; readonly fields: readonly string[]; readonly createOnly?: readonly string[] }
    /** Exists on the platform, but only `get` can read it. */
    | { readonly mode: "readOnly"; readonly instead: string }
    /** Made in DataSphere itself; a program reads it by reference (`<project id>/<id>`), to share it. */
    | { readonly mode: "reference"; readonly instead: string }
    /** Nothing in the API: neither created nor read. */
    | { readonly mode: "none"; readonly instead: string };

const BILLING_INSTEAD = "DataSphere sets a community's billing account only when the community is created, and cannot read or change it afterwards. "
    + "Pass the account when creating the community, new ml.Community(\"<name>\", { ..., billingAccount: ml.BillingAccount.get(\"<name>\", \"<billing account id>\") }), "
    + "or link an existing community in the DataSphere UI; then remove this BillingLink (and the dependsOn that names it).";

const byReference = (kind: string) => `DataSphere's public API has no call that creates, reads or deletes a ${kind}. Create it in DataSphere, `
    + `then share it by reference: ml.${kind}.get("<name>", "<project id>/<${kind} id>") passed as a Share's resource.`;
const noApi = (kind: string) => `DataSphere's public API has no call for a ${kind}. Manage it in the DataSphere UI, or use this program with the embedded backend (mlplatform:backend embedded).`;

/** The datasphere mode, kind by kind. A kind declared after this table was written has no API until it is added here. */
export const DATASPHERE: Partial<Record<KindName, DataSphereSupport>> = {
    Organization: { mode: "readOnly", instead: "Yandex Cloud has no API that creates organizations. Read an existing one: ml.Organization.get(\"<name>\", \"<organization id>\") (ids: yc organization-manager organization list)." },
    BillingAccount: { mode: "readOnly", instead: "Yandex Cloud has no API that creates billing accounts. Read an existing one: ml.BillingAccount.get(\"<name>\", \"<billing account id>\") (ids: yc billing account list)." },
    BillingLink: { mode: "none", instead: BILLING_INSTEAD },
    // The billing account is sent only in CreateCommunityRequest; Community has no field for it (reference §1.3).
    Community: { mode: "managed", fields: ["organizationId", "name", "description", "labels", "zone", "billingAccountId"], createOnly: ["billingAccountId"] },
    Project: { mode: "managed", fields: ["communityId", "name", "description", "labels", "settings", "limits", "unitBalance"] },
    CommunityMember: { mode: "managed", fields: ["communityId", "subject", "role"] },
    ProjectMember: { mode: "managed", fields: ["projectId", "subject", "role"] },
    Share: { mode: "managed", fields: ["resourceId", "resourceKind", "communityId"] },
    SharedResourceUse: { mode: "managed", fields: ["projectId", "shareId"] },
    Dataset: { mode: "reference", instead: byReference("Dataset") },
    Secret: { mode: "reference", instead: byReference("Secret") },
    DockerImage: { mode: "reference", instead: byReference("DockerImage") },
    S3Connector: { mode: "reference", instead: byReference("S3Connector") },
    Node: { mode: "reference", instead: byReference("Node") },
    Alias: { mode: "reference", instead: byReference("Alias") },
    DataProcTemplate: { mode: "none", instead: noApi("DataProcTemplate") },
    Model: { mode: "none", instead: noApi("Model") },
    SparkConnector: { mode: "none", instead: noApi("SparkConnector") },
    Checkpoint: { mode: "none", instead: noApi("Checkpoint") },
};

export function dataSphereSupport(kind: KindName): DataSphereSupport {
    return DATASPHERE[kind] ?? { mode: "none", instead: noApi(kind) };
}

/**
 * The fields a backend cannot read back: refresh keeps the state's value of these (what the object was created with)
 * rather than take their absence for a change made outside Pulumi.
 */
export function unreadableFields(mode: BackendMode, kind: KindName): readonly string[] {
    if (mode !== "datasphere") return [];
    const support = dataSphereSupport(kind);
    return support.mode === "managed" ? support.createOnly ?? [] : [];
}

/** Why a kind cannot be created in the datasphere mode, or undefined when it can. */
export function dataSphereCreateRefusal(kind: KindName): string | undefined {
    const support = dataSphereSupport(kind);
    if (support.mode === "managed") return undefined;
    const what = support.mode === "none" && kind === "BillingLink" ? "cannot be declared" : support.mode === "none" ? "is not available" : "cannot be created";
    return `${kind} ${what} in datasphere mode (mlplatform:backend datasphere): ${support.instead}`;
}

/**
 * A Yandex Cloud id, as the DataSphere UI and `yc` show it: 20 lowercase letters and digits, the first three naming
 * the service (bpf… an organization, dn2… a billing account, bt1… a community). The API's requests declare only
 * "at most 50 characters"; every id the platform has issued, and the fake, has this shape.
 */
export const DATASPHERE_ID = "[a-z0-9]{20}";
const ON_DATASPHERE = "of DataSphere (mlplatform:backend datasphere)";
const lower = (kind: string) => kind.charAt(0).toLowerCase() + kind.slice(1);

/** An object the platform gives an id of its own; without a kind, any such object. */
const platformIdForm = (kind?: KindName): IdForm => ({
    pattern: new RegExp(`^${DATASPHERE_ID}$`),
    says: `${kind ? `a ${kind} id` : "an id"} ${ON_DATASPHERE}, 20 lowercase letters and digits`,
    fix: kind
        ? `Pass the ${lower(kind)} itself, or read an existing one by its id as the DataSphere UI or yc shows it, not by its name: ml.${kind}.get("<name>", "<${lower(kind)} id>").`
        : "Pass the object itself, or its id as the DataSphere UI or yc shows it, not its name.",
});

/**
 * A resource DataSphere made, which the client names by its project (datasphere/mapping.ts referenceId). One form for
 * every shareable kind, so that a share's resource, which may be any of them, is told one shape.
 */
const REFERENCE_FORM: IdForm = {
    pattern: new RegExp(`^${DATASPHERE_ID}/${DATASPHERE_ID}$`),
    says: `a resource id ${ON_DATASPHERE}, <project id>/<resource id> (each 20 lowercase letters and digits)`,
    fix: `Read the resource by its project's id and its own, as the DataSphere UI shows them, e.g. ml.Dataset.get("<name>", "<project id>/<dataset id>").`,
};

/** What the client makes an id for, the platform having none (datasphere/mapping.ts memberId, shareId, useId). */
const subject = "(?:userAccount|serviceAccount|federatedUser|group):[^/\\s]{1,100}";
const share = `${DATASPHERE_ID}/(?:${SHAREABLE_KINDS.join("|")})/${DATASPHERE_ID}/${DATASPHERE_ID}`;
const composite = (kind: KindName, pattern: string, shape: string): IdForm => ({
    pattern: new RegExp(`^${pattern}$`),
    says: `a ${kind} id ${ON_DATASPHERE}, ${shape}`,
    fix: `Pass the ${lower(kind)} itself: the provider makes its id when it creates it.`,
});

/**
 * The ids the datasphere backend issues, kind by kind: the platform's own, a resource named by its project, and the
 * ids the client makes for members, shares and uses of a share. The plan-time check holds every id field to these.
 */
export const DATASPHERE_IDS: IdShape = {
    any: platformIdForm(),
    kinds: {
        Organization: platformIdForm("Organization"),
        BillingAccount: platformIdForm("BillingAccount"),
        Community: platformIdForm("Community"),
        Project: platformIdForm("Project"),
        ...Object.fromEntries(SHAREABLE_KINDS.map((kind) => [kind, REFERENCE_FORM])),
        CommunityMember: composite("CommunityMember", `${DATASPHERE_ID}/${subject}`, "<community id>/<subject>"),
        ProjectMember: composite("ProjectMember", `${DATASPHERE_ID}/${subject}`, "<project id>/<subject>"),
        Share: composite("Share", share, "<community id>/<kind>/<project id>/<resource id>"),
        SharedResourceUse: composite("SharedResourceUse", `${DATASPHERE_ID}/${share}`, "<project id>/<share id>"),
    },
};

/** The ids a backend issues: the emulator's on the embedded and served control planes, the platform's on DataSphere. */
export function idShapeOf(mode: BackendMode): IdShape {
    return mode === "datasphere" ? DATASPHERE_IDS : EMULATOR_IDS;
}

export interface PlanResult {
    readonly inputs: Record<string, unknown>;
    readonly failures: Failure[];
}

/**
 * The plan-time check as a backend sees it. `runCheck` is the kind's ordinary check, given the inputs and the shape of
 * the ids the backend issues (every id field is held to it). The embedded and served control planes take the check as
 * it is. In the datasphere mode: a kind the API cannot create fails, naming the mode and what to do instead; a field
 * the API cannot set fails, and so does a change of a field it sets only at creation (`olds`: the inputs in state,
 * empty for a new resource); and the billing-link rule, which the platform decides itself there, does not run.
 */
export function checkForBackend(
    mode: BackendMode, kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>,
    runCheck: (news: Record<string, unknown>, ids: IdShape) => PlanResult,
): PlanResult {
    if (mode !== "datasphere") return runCheck(news, idShapeOf(mode));
    const refusal = dataSphereCreateRefusal(kind);
    if (refusal) return { inputs: { ...news }, failures: [{ property: "", reason: refusal }] };
    const decl = KINDS[kind];
    // In this mode a community may have been linked to an account in the DataSphere UI since it was created, which
    // the program cannot know: whether its projects are billed is the platform's to decide.
    const given: Record<string, unknown> = { ...news };
    delete given.communityBillingLinked;
    const result = runCheck(given, idShapeOf(mode));
    const inputs = { ...result.inputs };
    if ("communityBillingLinked" in news) inputs.communityBillingLinked = news.communityBillingLinked;
    const failures = [...result.failures];
    const support = dataSphereSupport(kind);
    if (support.mode === "managed") {
        for (const field of Object.keys(decl.spec.shape)) {
            if (support.fields.includes(field) || news[field] === undefined || news[field] === null) continue;
            failures.push({ property: field, reason: `cannot be set in datasphere mode (mlplatform:backend datasphere): DataSphere's API has no such field of a ${kind}. Remove ${field}, or use the embedded backend.` });
        }
        failures.push(...createOnlyChanges(kind, support.createOnly ?? [], olds, news));
    }
    return { inputs, failures };
}

const absent = (v: unknown) => v === undefined || v === null;
const differs = (a: unknown, b: unknown) => !(absent(a) && absent(b)) && canonicalJson(a) !== canonicalJson(b);

/**
 * A change of a field the API takes only at creation, on an object that exists and is not being replaced (a new
 * object is created with the new value): refused, in the program's words (`billingAccount`), since the platform
 * would keep the old value whatever the state said. Never planned as a replacement: replacing a community deletes
 * its projects. A value unknown in preview is decided by the check `up` runs once it is known.
 */
function createOnlyChanges(kind: KindName, fields: readonly string[], olds: Record<string, unknown>, news: Record<string, unknown>): Failure[] {
    const decl = KINDS[kind];
    if (Object.keys(olds).length === 0) return [];
    if (decl.immutable.some((f) => containsUnknown(news[f]) || differs(olds[f], news[f]))) return [];
    return fields.filter((field) => !containsUnknown(news[field]) && differs(olds[field], news[field])).map((field) => {
        const arg = decl.references.find((r) => r.path === field)?.arg ?? field;
        return {
            property: arg,
            reason: `cannot change in datasphere mode (mlplatform:backend datasphere), got ${showValue(news[field] ?? undefined)} for ${showValue(olds[field] ?? undefined)}: `
                + `DataSphere's API sets ${field} only when the ${kind.toLowerCase()} is created and has no call that reads or changes it, and the ${kind.toLowerCase()} is never replaced for it. `
                + `Put the old value back; to change it on the platform, do it in the DataSphere UI and keep the old value here (or add ignoreChanges: ["${field}"] to the resource's options).`,
        };
    });
}
