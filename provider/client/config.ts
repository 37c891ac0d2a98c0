// Where the control plane is and who is acting. Read at call time (inside the dynamic-provider host), from
// stack config passed to `configure` first, then environment variables, then defaults.
import * as path from "path";
import { z } from "zod";
import { PlatformError, showValue } from "../model/errors";
import { SUBJECT_PATTERN } from "../model/fields";

export const DEFAULT_DATA_DIR = ".mlplatform";
export const DEFAULT_PRINCIPAL = "userAccount:owner";

export interface EmbeddedConfig {
    readonly mode: "embedded";
    /** Folder holding platform.db (and platform.key unless a key is configured). */
    readonly dataDir: string;
    readonly principal: string;
    /** base64 of 32 bytes; when unset a key file in dataDir is used (created mode 0600). */
    readonly encryptionKey?: string;
}

export interface HttpConfig {
    readonly mode: "http";
    readonly endpoint: string;
    readonly token: string;
    /** How long one call may take before it fails with UNAVAILABLE; default DEFAULT_TIMEOUT_MS in http.ts. */
    readonly timeoutMs?: number;
}

export type ClientConfig = EmbeddedConfig | HttpConfig;

/** Where a configuration points, as messages and each object's state name it. Nothing is opened to say it. */
export function locationOf(config: ClientConfig): string {
    return config.mode === "embedded" ? `the embedded database ${path.join(config.dataDir, "platform.db")}` : `the control plane served at ${config.endpoint}`;
}

/** The settings, by stack config key (`mlplatform:<key>`) and environment variable. The one list of settings:
 * a key that is not here is reported as unknown, and the schema below must cover exactly these keys. */
export const SETTINGS = {
    dataDir: { env: "MLPLATFORM_DATA_DIR", doc: `Folder of the embedded database, relative to the program's directory. Default ${DEFAULT_DATA_DIR}.` },
    principal: { env: "MLPLATFORM_PRINCIPAL", doc: `Subject the provider acts as, e.g. userAccount:alice. Default ${DEFAULT_PRINCIPAL} (the owner of organizations it creates).` },
    encryptionKey: { env: "MLPLATFORM_ENCRYPTION_KEY", secret: true, doc: "base64 of 32 bytes encrypting secrets at rest. Default: a key file platform.key in the data folder, created readable only by its owner." },
    endpoint: { env: "MLPLATFORM_ENDPOINT", doc: "URL of a served control plane. When set, the provider talks HTTP instead of opening a database." },
    token: { env: "MLPLATFORM_TOKEN", secret: true, doc: "Bearer token for the served control plane (secret)." },
} as const;
export type SettingName = keyof typeof SETTINGS;
const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
const NAMESPACE = "mlplatform:";

/** Secret settings are never shown in a message, whatever is wrong with them. */
const isSecret = (key: SettingName): boolean => "secret" in SETTINGS[key];

// `satisfies` makes the compiler hold this schema and SETTINGS to the same keys.
const schema = {
    dataDir: z.string().min(1).optional(),
    principal: z.string().regex(SUBJECT_PATTERN, "must be a subject like userAccount:alice").optional(),
    // Decoded as parseKey (controlplane/crypto.ts) decodes it, so what passes here is what the store accepts.
    encryptionKey: z.string().refine((k) => Buffer.from(k.trim(), "base64").length === 32, "must be 32 bytes encoded in base64 (generate one with: openssl rand -base64 32)").optional(),
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL like http://platform.internal:8470" }).optional(),
    // It goes into an Authorization header: a space or a line break (a token file's newline) cannot.
    token: z.string().regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces or line breaks").optional(),
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
        if (!(SETTING_NAMES as string[]).includes(key)) {
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
 * Resolves the client configuration. `values` come from stack config; the environment fills what is unset.
 * `baseDir` is the program's directory: a relative dataDir is relative to it.
 */
export function resolveConfig(values: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv, baseDir: string): ClientConfig {
    const merged: Partial<Record<SettingName, string>> = {};
    for (const [key, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
        const value = values[key] ?? env[setting.env];
        if (value !== undefined && value !== "") merged[key] = value;
    }
    const parsed = raw.safeParse(merged);
    if (!parsed.success) throw configurationError(valueProblems(parsed.error.issues, merged));
    const c = parsed.data;
    if (c.endpoint) {
        if (!c.token) throw new PlatformError("INVALID_ARGUMENT", `provider setting token is required with endpoint ${c.endpoint}. Set mlplatform:token (as a secret) or ${SETTINGS.token.env}.`);
        return { mode: "http", endpoint: c.endpoint, token: c.token };
    }
    return {
        mode: "embedded",
        dataDir: path.resolve(baseDir, c.dataDir ?? DEFAULT_DATA_DIR),
        principal: c.principal ?? DEFAULT_PRINCIPAL,
        encryptionKey: c.encryptionKey,
    };
}
