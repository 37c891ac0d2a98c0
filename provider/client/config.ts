// Where the control plane is and who is acting. Read at call time (inside the dynamic-provider host), from
// stack config passed to `configure` first, then environment variables, then defaults.
import * as path from "path";
import { z } from "zod";
import { PlatformError } from "../model/errors";
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
}

export type ClientConfig = EmbeddedConfig | HttpConfig;

/** The settings, by stack config key (`mlplatform:<key>`) and environment variable. */
export const SETTINGS = {
    dataDir: { env: "MLPLATFORM_DATA_DIR", doc: `Folder of the embedded database, relative to the program's directory. Default ${DEFAULT_DATA_DIR}.` },
    principal: { env: "MLPLATFORM_PRINCIPAL", doc: `Subject the provider acts as, e.g. userAccount:alice. Default ${DEFAULT_PRINCIPAL} (the owner of organizations it creates).` },
    encryptionKey: { env: "MLPLATFORM_ENCRYPTION_KEY", doc: "base64 of 32 bytes encrypting secrets at rest. Default: a key file platform.key in the data folder, created readable only by its owner." },
    endpoint: { env: "MLPLATFORM_ENDPOINT", doc: "URL of a served control plane. When set, the provider talks HTTP instead of opening a database." },
    token: { env: "MLPLATFORM_TOKEN", doc: "Bearer token for the served control plane (secret)." },
} as const;
export type SettingName = keyof typeof SETTINGS;

const raw = z.strictObject({
    dataDir: z.string().min(1).optional(),
    principal: z.string().regex(SUBJECT_PATTERN, "must be a subject like userAccount:alice").optional(),
    encryptionKey: z.string().min(1).optional(),
    endpoint: z.string().url("must be an http(s) URL").optional(),
    token: z.string().min(1).optional(),
});

/**
 * Resolves the client configuration. `values` come from stack config; the environment fills what is unset.
 * `baseDir` is the program's directory: a relative dataDir is relative to it.
 */
export function resolveConfig(values: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv, baseDir: string): ClientConfig {
    const merged: Record<string, string> = {};
    for (const [key, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
        const value = values[key] ?? env[setting.env];
        if (value !== undefined && value !== "") merged[key] = value;
    }
    const parsed = raw.safeParse(merged);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const key = String(issue.path[0]) as SettingName;
        const shown = key === "token" || key === "encryptionKey" ? "[secret]" : JSON.stringify(merged[key]);
        throw new PlatformError("INVALID_ARGUMENT", `provider setting ${key} (mlplatform:${key} or ${SETTINGS[key]?.env}) ${issue.message}, got ${shown}. ${SETTINGS[key]?.doc ?? ""}`.trim());
    }
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
