// Where the control plane is and who is acting. Read at call time (inside the dynamic-provider host), from
// stack config passed to `configure` first, then environment variables, then defaults.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { PlatformError, showValue } from "../model/errors";
import { DATABASE_FILE } from "../model/data-folder";
import { SUBJECT_PATTERN } from "../model/fields";
import { DEFAULT_MAX_CONCURRENT_CALLS } from "./call-limit";

export const DEFAULT_DATA_DIR = ".mlplatform";
export const DEFAULT_PRINCIPAL = "userAccount:owner";

/** What every backend's configuration carries besides where the platform is. */
interface CallSettings {
    /** Calls in flight to the platform at once from one host process (mlplatform:maxConcurrentCalls); unset: the default in call-limit.ts. */
    readonly maxConcurrentCalls?: number;
}

export interface EmbeddedConfig extends CallSettings {
    readonly mode: "embedded";
    /** Folder holding platform.db (and platform.key unless a key is configured). */
    readonly dataDir: string;
    readonly principal: string;
    /** base64 of 32 bytes; when unset a key file in dataDir is used (created mode 0600). */
    readonly encryptionKey?: string;
}

export interface HttpConfig extends CallSettings {
    readonly mode: "http";
    readonly endpoint: string;
    readonly token: string;
    /** How long one call may take before it fails with UNAVAILABLE; default DEFAULT_TIMEOUT_MS in http.ts. */
    readonly timeoutMs?: number;
}

/**
 * How the provider proves who it is to Yandex Cloud, as `yc` and the Terraform provider take it. `from` says where
 * the credential was set (a setting, a file; never its value), for messages that must name it.
 */
export type DataSphereCredentials =
    | { readonly kind: "iamToken"; readonly token: string; readonly from?: string }
    /** A YC_TOKEN that is no IAM token (those start with `t1.`): an OAuth token, exchanged for IAM tokens (deprecated by Yandex Cloud). */
    | { readonly kind: "oauthToken"; readonly token: string; readonly from?: string }
    /** An authorized key (`yc iam key create`), mapped to the names the IAM token exchange uses. */
    | { readonly kind: "serviceAccountKey"; readonly serviceAccountId: string; readonly accessKeyId: string; readonly privateKey: string; readonly from?: string }
    /** Nothing configured: the service account of the VM the provider runs on, from its metadata service. */
    | { readonly kind: "metadata" };

/** The gRPC endpoints (`host:port`) of the services the DataSphere backend calls. */
export interface DataSphereEndpoints {
    readonly datasphere: string;
    readonly operation: string;
    readonly organizationManager: string;
    readonly billing: string;
    /** IamTokenService, which exchanges an authorized key's JWT or an OAuth token for an IAM token. */
    readonly iam: string;
}

export const DATASPHERE_ENDPOINTS: DataSphereEndpoints = {
    datasphere: "datasphere.api.cloud.yandex.net:443",
    operation: "operation.api.cloud.yandex.net:443",
    organizationManager: "organization-manager.api.cloud.yandex.net:443",
    billing: "billing.api.cloud.yandex.net:443",
    iam: "iam.api.cloud.yandex.net:443",
};

/** Where a Yandex Cloud VM serves its service account's IAM token (the same link-local address on every VM). */
export const METADATA_TOKEN_URL = "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token";

export interface DataSphereConfig extends CallSettings {
    readonly mode: "datasphere";
    readonly credentials: DataSphereCredentials;
    readonly endpoints: DataSphereEndpoints;
    /** PEM of the certificates to trust instead of the system's (a private installation, the tests' fake). */
    readonly tlsRootCerts?: string;
    /**
     * The VM metadata service's token URL; default METADATA_TOKEN_URL. Tests point it at a local fake. Not a setting:
     * every Yandex Cloud VM serves it at the same address, and a user-set URL would only be a way to hand the
     * provider a token from somewhere else, which iamToken already does.
     */
    readonly metadataUrl?: string;
}

export type ClientConfig = EmbeddedConfig | HttpConfig | DataSphereConfig;

/** Where a configuration points, as messages and each object's state name it. Nothing is opened to say it. */
export function locationOf(config: ClientConfig): string {
    if (config.mode === "datasphere") return `Yandex Cloud DataSphere at ${config.endpoints.datasphere}`;
    return config.mode === "embedded" ? `the embedded database ${path.join(config.dataDir, DATABASE_FILE)}` : `the control plane served at ${config.endpoint}`;
}

/** The settings, by stack config key (`mlplatform:<key>`) and environment variable. The one list of settings:
 * a key that is not here is reported as unknown, and the schema below must cover exactly these keys. */
export const SETTINGS = {
    backend: { env: "MLPLATFORM_BACKEND", doc: "Which platform the provider manages: embedded (a local emulator in a database file, the default), server (a served control plane; implied by endpoint) or datasphere (Yandex Cloud DataSphere)." },
    dataDir: { env: "MLPLATFORM_DATA_DIR", doc: `Folder of the embedded database, relative to the program's folder (the folder of Pulumi.yaml's main). Default ${DEFAULT_DATA_DIR}.` },
    principal: { env: "MLPLATFORM_PRINCIPAL", doc: `Subject the provider acts as, e.g. userAccount:alice. Default ${DEFAULT_PRINCIPAL} (the owner of organizations it creates).` },
    encryptionKey: { env: "MLPLATFORM_ENCRYPTION_KEY", secret: true, doc: "base64 of 32 bytes encrypting secrets at rest. Default: a key file platform.key in the data folder, created readable only by its owner." },
    endpoint: { env: "MLPLATFORM_ENDPOINT", doc: "URL of a served control plane. When set, the provider talks HTTP instead of opening a database." },
    token: { env: "MLPLATFORM_TOKEN", secret: true, doc: "Bearer token for the served control plane (secret)." },
    iamToken: { env: "YC_TOKEN", secret: true, doc: "datasphere: an IAM token (`yc iam create-token`, valid up to 12 hours) or, like YC_TOKEN for Terraform, an OAuth token (secret)." },
    serviceAccountKeyFile: { env: "YC_SERVICE_ACCOUNT_KEY_FILE", secret: true, doc: "datasphere: a service account's authorized key, the JSON `yc iam key create --output key.json` writes: its path (relative to the program) or its contents (secret)." },
    dataSphereEndpoint: { env: "MLPLATFORM_DATASPHERE_ENDPOINT", doc: `datasphere: host:port of the DataSphere API. Default ${DATASPHERE_ENDPOINTS.datasphere}.` },
    operationEndpoint: { env: "MLPLATFORM_OPERATION_ENDPOINT", doc: `datasphere: host:port of the operation service. Default ${DATASPHERE_ENDPOINTS.operation}.` },
    organizationManagerEndpoint: { env: "MLPLATFORM_ORGANIZATION_MANAGER_ENDPOINT", doc: `datasphere: host:port of the organization manager. Default ${DATASPHERE_ENDPOINTS.organizationManager}.` },
    billingEndpoint: { env: "MLPLATFORM_BILLING_ENDPOINT", doc: `datasphere: host:port of the billing API. Default ${DATASPHERE_ENDPOINTS.billing}.` },
    iamEndpoint: { env: "MLPLATFORM_IAM_ENDPOINT", doc: `datasphere: host:port of the IAM token service, where an authorized key or an OAuth token is exchanged for IAM tokens. Default ${DATASPHERE_ENDPOINTS.iam}.` },
    tlsRootCertFile: { env: "MLPLATFORM_TLS_ROOT_CERT_FILE", doc: "datasphere: PEM file of the certificate authorities to trust instead of the system's, for a private installation (relative to the program)." },
    maxConcurrentCalls: { env: "MLPLATFORM_MAX_CONCURRENT_CALLS", doc: `Most calls in flight to the platform at once from one provider process, for the platform's quotas; the others wait their turn. Default ${DEFAULT_MAX_CONCURRENT_CALLS}.` },
} as const;
export type SettingName = keyof typeof SETTINGS;
const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
const NAMESPACE = "mlplatform:";

/**
 * Settings an earlier version read, and what replaced them. Left set, they would be ignored without a word (a
 * community then created without its billing account): named instead, with the fix.
 */
const REMOVED_SETTINGS: Readonly<Record<string, { readonly env: string; readonly instead: string }>> = {
    communityBillingAccountId: {
        env: "MLPLATFORM_COMMUNITY_BILLING_ACCOUNT_ID",
        instead: "Each community now takes its own: new ml.Community(\"<name>\", { ..., billingAccount: ml.BillingAccount.get(\"<name>\", \"<billing account id>\") }), "
            + "sent when the community is created.",
    },
};

/** Secret settings are never shown in a message, whatever is wrong with them. */
const isSecret = (key: SettingName): boolean => "secret" in SETTINGS[key];

export const BACKENDS = ["embedded", "server", "datasphere"] as const;
export type Backend = (typeof BACKENDS)[number];

/** A gRPC target as grpc-js takes it: host:port, no scheme (a scheme would not change the TLS the SDK always uses). */
const grpcEndpoint = z.string().regex(/^(?:[A-Za-z0-9](?:[-A-Za-z0-9.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, "must be host:port without a scheme, e.g. datasphere.api.cloud.yandex.net:443");

// `satisfies` makes the compiler hold this schema and SETTINGS to the same keys.
const schema = {
    backend: z.enum(BACKENDS, { message: `must be one of ${BACKENDS.join(", ")}` }).optional(),
    dataDir: z.string().min(1).optional(),
    principal: z.string().regex(SUBJECT_PATTERN, "must be a subject like userAccount:alice").optional(),
    // Decoded as parseKey (controlplane/crypto.ts) decodes it, so what passes here is what the store accepts.
    encryptionKey: z.string().refine((k) => Buffer.from(k.trim(), "base64").length === 32, "must be 32 bytes encoded in base64 (generate one with: openssl rand -base64 32)").optional(),
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL like http://platform.internal:8470" }).optional(),
    // It goes into an Authorization header: a space or a line break (a token file's newline) cannot.
    token: z.string().regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces or line breaks").optional(),
    // Users keep YC_TOKEN and YC_SERVICE_ACCOUNT_KEY_FILE set for yc and Terraform whatever backend a stack uses:
    // they are checked only when the datasphere backend reads them (resolveDataSphere), never failing the others.
    iamToken: z.string().optional(),
    serviceAccountKeyFile: z.string().optional(),
    dataSphereEndpoint: grpcEndpoint.optional(),
    operationEndpoint: grpcEndpoint.optional(),
    organizationManagerEndpoint: grpcEndpoint.optional(),
    billingEndpoint: grpcEndpoint.optional(),
    iamEndpoint: grpcEndpoint.optional(),
    tlsRootCertFile: z.string().min(1).optional(),
    maxConcurrentCalls: z.string().regex(/^(?:[1-9]\d{0,2}|1000)$/, "must be a whole number from 1 to 1000, e.g. 8").optional(),
} satisfies Record<SettingName, z.ZodType>;
const raw = z.strictObject(schema);

/** A problem with a config key (`mlplatform:<key>`) and the line that explains it. */
interface Problem {
    readonly key: string;
    readonly line: string;
}

/** One line per invalid value, naming the setting, its config key and variable, and the fix; secrets as [secret]. */
function valueProblems(issues: readonly z.core.$ZodIssue[], values: Partial<Record<SettingName, string>>): Problem[] {
    return issues.map((issue) => {
        const key = String(issue.path[0]) as SettingName;
        const shown = isSecret(key) ? "[secret]" : JSON.stringify(values[key]);
        return { key: NAMESPACE + key, line: `provider setting ${key} (${NAMESPACE}${key} or ${SETTINGS[key].env}) ${issue.message}, got ${shown}. ${SETTINGS[key].doc}` };
    });
}

/** All problems at once: one on its own, several as a list. */
function configurationError(problems: readonly Problem[]): PlatformError {
    const message = problems.length === 1
        ? problems[0].line
        : `${problems.length} problems in the mlplatform configuration:\n  - ${problems.map((p) => p.line).join("\n  - ")}`;
    return new PlatformError("INVALID_ARGUMENT", message, problems.map((p) => ({ property: p.key, reason: p.line })));
}

/**
 * The mlplatform settings in the stack configuration as the dynamic provider's `configure` receives it (every
 * namespace, keys like `mlplatform:dataDir`; other namespaces are ignored). Throws INVALID_ARGUMENT listing every
 * unknown `mlplatform:` key (a typo would otherwise be silently ignored and the default used) and every invalid
 * value, so a mistake fails the preview instead of the apply. Empty values count as unset, as in resolveConfig.
 */
export function settingsFromConfig(bag: Readonly<Record<string, unknown>>): Partial<Record<SettingName, string>> {
    const values: Partial<Record<SettingName, string>> = {};
    const problems: Problem[] = [];
    for (const [name, value] of Object.entries(bag)) {
        if (!name.startsWith(NAMESPACE)) continue;
        const key = name.slice(NAMESPACE.length);
        if (key in REMOVED_SETTINGS) {
            problems.push({ key: name, line: `config key ${name} is no longer read: remove it (pulumi config rm ${name}). ${REMOVED_SETTINGS[key].instead}` });
        } else if (!(SETTING_NAMES as string[]).includes(key)) {
            const guess = closestSetting(key);
            problems.push({
                key: name,
                line: `unknown config key ${name}.${guess ? ` Did you mean ${NAMESPACE}${guess}?` : ""} Known keys: ${SETTING_NAMES.map((k) => NAMESPACE + k).join(", ")}.`,
            });
        } else if (typeof value !== "string") {
            // Structured config (`pulumi config set --path`) arrives as an object; every setting is one string.
            const shown = isSecret(key as SettingName) ? "[secret]" : showValue(value);
            problems.push({ key: name, line: `provider setting ${key} (${name}) must be a string, got ${shown}. Set it with: pulumi config set ${name} <value>` });
        } else if (value !== "") {
            values[key as SettingName] = value;
        }
    }
    const parsed = raw.safeParse(values);
    if (!parsed.success) problems.push(...valueProblems(parsed.error.issues, values));
    if (problems.length) throw configurationError(problems);
    return values;
}

/** The setting a mistyped key most likely meant: same name in another case, one or two letters off, or an
 * environment variable's name used as a key. */
function closestSetting(typed: string): SettingName | undefined {
    const lower = typed.toLowerCase();
    let best: { key: SettingName; distance: number } | undefined;
    for (const key of SETTING_NAMES) {
        if (lower === SETTINGS[key].env.toLowerCase()) return key;
        const distance = editDistance(lower, key.toLowerCase());
        if (distance <= Math.max(1, Math.floor(key.length / 3)) && (!best || distance < best.distance)) best = { key, distance };
    }
    return best?.key;
}

/** Edits (insert, delete, replace, swap two neighbours) turning a into b. */
function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/**
 * The variable that makes the environment win over stack config. `pulumi refresh` and `pulumi destroy` configure the
 * provider with the stack config the last `up` left in the state, not the current one: after a credential is rotated
 * (or a data folder moved) they would use the old value. With this variable set to true, a setting given in the
 * environment wins, so `MLPLATFORM_PREFER_ENVIRONMENT=true MLPLATFORM_TOKEN=<new> pulumi destroy` uses the new token.
 */
export const PREFER_ENVIRONMENT_ENV = "MLPLATFORM_PREFER_ENVIRONMENT";

function prefersEnvironment(env: NodeJS.ProcessEnv): boolean {
    const value = (env[PREFER_ENVIRONMENT_ENV] ?? "").trim().toLowerCase();
    if (["", "false", "0"].includes(value)) return false;
    if (["true", "1"].includes(value)) return true;
    throw new PlatformError("INVALID_ARGUMENT", `environment variable ${PREFER_ENVIRONMENT_ENV} must be true or false, got ${JSON.stringify(env[PREFER_ENVIRONMENT_ENV])}. Set it to true to let settings in the environment win over stack config (and the config the state kept from the last up).`);
}

/**
 * Resolves the client configuration. `values` come from stack config; the environment fills what is unset, or wins
 * where it is set when MLPLATFORM_PREFER_ENVIRONMENT is true. `baseDir` is the program's directory: a relative
 * dataDir is relative to it.
 */
export function resolveConfig(values: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv, baseDir: string): ClientConfig {
    const preferEnvironment = prefersEnvironment(env);
    const merged: Partial<Record<SettingName, string>> = {};
    for (const [key, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
        const fromEnv = env[setting.env] === "" ? undefined : env[setting.env];
        const value = preferEnvironment ? (fromEnv ?? values[key]) : (values[key] ?? env[setting.env]);
        if (value !== undefined && value !== "") merged[key] = value;
    }
    const parsed = raw.safeParse(merged);
    if (!parsed.success) throw configurationError(valueProblems(parsed.error.issues, merged));
    const c = parsed.data;
    const backend: Backend = c.backend ?? (c.endpoint ? "server" : "embedded");
    if (c.endpoint && backend !== "server") {
        throw new PlatformError("INVALID_ARGUMENT", `provider setting endpoint (${c.endpoint}) is for the served control plane, but backend is ${backend}. `
            + `Remove mlplatform:endpoint (${SETTINGS.endpoint.env}), or set mlplatform:backend to server.`);
    }
    const calls: CallSettings = c.maxConcurrentCalls ? { maxConcurrentCalls: Number(c.maxConcurrentCalls) } : {};
    if (backend === "datasphere") {
        // The removed settings were the datasphere backend's: only there does a leftover variable change anything.
        const removed = Object.values(REMOVED_SETTINGS).filter((r) => env[r.env] !== undefined && env[r.env] !== "");
        if (removed.length) throw configurationError(removed.map((r) => ({ key: r.env, line: `environment variable ${r.env} is no longer read: unset it. ${r.instead}` })));
        return { ...resolveDataSphere(c, values, env, baseDir, preferEnvironment), ...calls };
    }
    if (backend === "server" && !c.endpoint) {
        throw new PlatformError("INVALID_ARGUMENT", `provider setting endpoint is required with backend server. Set mlplatform:endpoint (or ${SETTINGS.endpoint.env}) to the control plane's URL, e.g. http://platform.internal:8470.`);
    }
    if (c.endpoint) {
        if (!c.token) throw new PlatformError("INVALID_ARGUMENT", `provider setting token is required with endpoint ${c.endpoint}. Set mlplatform:token (as a secret) or ${SETTINGS.token.env}.`);
        return { mode: "http", endpoint: c.endpoint, token: c.token, ...calls };
    }
    return {
        mode: "embedded",
        dataDir: path.resolve(baseDir, c.dataDir ?? DEFAULT_DATA_DIR),
        principal: c.principal ?? DEFAULT_PRINCIPAL,
        encryptionKey: c.encryptionKey,
        ...calls,
    };
}

/** The settings as resolveConfig has merged and parsed them. */
type Parsed = z.output<typeof raw>;

/**
 * The DataSphere backend's settings. Credentials come as for Terraform and `yc`: an IAM (or OAuth) token, else an
 * authorized key, else the VM's metadata service. Stack config wins over the environment as a whole: a key file
 * in the stack beats a YC_TOKEN left in the shell, while both set in one place is a mistake to name; with
 * MLPLATFORM_PREFER_ENVIRONMENT, credentials in the environment win as a whole.
 * Files are read here, so a missing or malformed one fails the preview; what they hold is never shown.
 */
function resolveDataSphere(c: Parsed, values: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv, baseDir: string, preferEnvironment: boolean): DataSphereConfig {
    const problems: Problem[] = [];
    const nonEmpty = (v: string | undefined) => (v !== undefined && v !== "" ? v : undefined);
    const pick = (from: Partial<Record<SettingName, string | undefined>>) => ({ token: nonEmpty(from.iamToken), key: nonEmpty(from.serviceAccountKeyFile) });
    const fromStack = pick(values);
    const fromEnv = pick({ iamToken: env[SETTINGS.iamToken.env], serviceAccountKeyFile: env[SETTINGS.serviceAccountKeyFile.env] });
    const stackFirst = !preferEnvironment || !(fromEnv.token || fromEnv.key);
    const source = stackFirst && (fromStack.token || fromStack.key) ? { ...fromStack, where: "stack config" } : { ...fromEnv, where: "environment" };
    let credentials: DataSphereCredentials = { kind: "metadata" };
    if (source.token && source.key) {
        problems.push({
            key: NAMESPACE + "iamToken",
            line: `provider settings iamToken and serviceAccountKeyFile are both set in the ${source.where}; the provider would not know which account to act as. `
                + `Keep one: mlplatform:iamToken (${SETTINGS.iamToken.env}) or mlplatform:serviceAccountKeyFile (${SETTINGS.serviceAccountKeyFile.env}).`,
        });
    } else if (source.token) {
        if (!/^[\x21-\x7e]+$/.test(source.token)) {
            problems.push({ key: NAMESPACE + "iamToken", line: `provider setting iamToken (mlplatform:iamToken or ${SETTINGS.iamToken.env}) must be printable ASCII without spaces or line breaks, got [secret]. Set it to the output of \`yc iam create-token\`.` });
        } else {
            // The Terraform provider tells the two apart the same way: IAM tokens start with "t1.".
            const from = source.where === "environment" ? `${SETTINGS.iamToken.env} in the environment` : `${NAMESPACE}iamToken in stack config`;
            credentials = source.token.startsWith("t1.") ? { kind: "iamToken", token: source.token, from } : { kind: "oauthToken", token: source.token, from };
        }
    } else if (source.key) {
        const setting = source.where === "environment" ? `${SETTINGS.serviceAccountKeyFile.env} in the environment` : `${NAMESPACE}serviceAccountKeyFile in stack config`;
        const key = readServiceAccountKey(source.key, baseDir, setting);
        if ("problem" in key) problems.push({ key: NAMESPACE + "serviceAccountKeyFile", line: key.problem });
        else credentials = key;
    }
    let tlsRootCerts: string | undefined;
    if (c.tlsRootCertFile) {
        const file = path.resolve(baseDir, c.tlsRootCertFile);
        try {
            tlsRootCerts = fs.readFileSync(file, "utf8");
            if (!tlsRootCerts.includes("-----BEGIN CERTIFICATE-----")) {
                problems.push({ key: NAMESPACE + "tlsRootCertFile", line: `provider setting tlsRootCertFile (mlplatform:tlsRootCertFile or ${SETTINGS.tlsRootCertFile.env}) names ${file}, which holds no PEM certificate. Point it at the CA certificate(s) in PEM form.` });
            }
        } catch (e) {
            problems.push({ key: NAMESPACE + "tlsRootCertFile", line: `provider setting tlsRootCertFile (mlplatform:tlsRootCertFile or ${SETTINGS.tlsRootCertFile.env}) names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path; a relative one is relative to the program's folder.` });
        }
    }
    if (problems.length) throw configurationError(problems);
    return {
        mode: "datasphere",
        credentials,
        endpoints: {
            datasphere: c.dataSphereEndpoint ?? DATASPHERE_ENDPOINTS.datasphere,
            operation: c.operationEndpoint ?? DATASPHERE_ENDPOINTS.operation,
            organizationManager: c.organizationManagerEndpoint ?? DATASPHERE_ENDPOINTS.organizationManager,
            billing: c.billingEndpoint ?? DATASPHERE_ENDPOINTS.billing,
            iam: c.iamEndpoint ?? DATASPHERE_ENDPOINTS.iam,
        },
        ...(tlsRootCerts !== undefined ? { tlsRootCerts } : {}),
    };
}

/**
 * An authorized key as `yc iam key create` writes it ({ id, service_account_id, private_key, ... }), given as its
 * path or, as the Terraform provider allows, as the JSON itself, mapped to the SDK's names. Messages name the file
 * but never show its contents, nor the value when it is the JSON itself.
 */
export function readServiceAccountKey(value: string, baseDir: string, setIn?: string): Extract<DataSphereCredentials, { kind: "serviceAccountKey" }> | { problem: string } {
    const setting = `provider setting serviceAccountKeyFile (mlplatform:serviceAccountKeyFile or ${SETTINGS.serviceAccountKeyFile.env})`;
    const fix = "Create one with: yc iam key create --service-account-name <name> --output key.json";
    const inline = value.trimStart().startsWith("{");
    let text = value;
    let what = "the key given inline";
    if (!inline) {
        const file = path.resolve(baseDir, value);
        what = `the key file ${file}`;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (e) {
            return { problem: `${setting} names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? "unreadable"}). Check the path (relative to the program's folder). ${fix}` };
        }
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        return { problem: `${setting}: ${what} is not JSON (contents not shown). ${fix}` };
    }
    const key = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
    const missing = ["id", "service_account_id", "private_key"].filter((field) => typeof key[field] !== "string" || key[field] === "");
    if (missing.length) {
        return { problem: `${setting}: ${what} has no ${missing.join(", ")} (contents not shown); it must be an authorized key of a service account. ${fix}` };
    }
    // The exchange signs a PS256 JWT with it: an RSA private key, in PEM (yc writes PKCS#8 after a comment line).
    let keyType: string | undefined;
    try {
        keyType = crypto.createPrivateKey(key.private_key as string).asymmetricKeyType;
    } catch {
        keyType = undefined;
    }
    if (keyType !== "rsa") {
        return { problem: `${setting}: ${what} has a private_key that is ${keyType ? `an ${keyType} key, not RSA` : "no PEM private key"} (contents not shown); it must be the RSA key yc wrote with the key id ${JSON.stringify(key.id)}. ${fix}` };
    }
    const from = `${setIn ? `${setIn}: ` : ""}${inline ? "an authorized key given inline" : what.replace(/^the /, "")}`;
    return { kind: "serviceAccountKey", accessKeyId: key.id as string, serviceAccountId: key.service_account_id as string, privateKey: key.private_key as string, from };
}
