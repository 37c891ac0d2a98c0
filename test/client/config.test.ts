// resolveConfig: stack config first, then the environment, then defaults; bad settings named with their
// config key and environment variable, secrets never shown.
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, DEFAULT_PRINCIPAL, resolveConfig, SETTINGS } from "../../provider/client/config";
import { expectError } from "../controlplane/support";

describe("resolveConfig", () => {
    it("defaults to the embedded database next to the program, as the owner", () => {
        expect(resolveConfig({}, {}, "/prog")).toEqual({ mode: "embedded", dataDir: path.join("/prog", DEFAULT_DATA_DIR), principal: DEFAULT_PRINCIPAL, encryptionKey: undefined });
        expect(DEFAULT_PRINCIPAL).toBe("userAccount:owner");
    });

    it("reads every setting from its environment variable", () => {
        expect(Object.fromEntries(Object.entries(SETTINGS).map(([k, s]) => [k, s.env]))).toEqual({
            dataDir: "MLPLATFORM_DATA_DIR", principal: "MLPLATFORM_PRINCIPAL", encryptionKey: "MLPLATFORM_ENCRYPTION_KEY",
            endpoint: "MLPLATFORM_ENDPOINT", token: "MLPLATFORM_TOKEN",
        });
        expect(resolveConfig({}, { MLPLATFORM_DATA_DIR: "/abs", MLPLATFORM_PRINCIPAL: "serviceAccount:ci", MLPLATFORM_ENCRYPTION_KEY: "k" }, "/prog"))
            .toEqual({ mode: "embedded", dataDir: "/abs", principal: "serviceAccount:ci", encryptionKey: "k" });
        expect(resolveConfig({}, { MLPLATFORM_ENDPOINT: "https://cp.example.net", MLPLATFORM_TOKEN: "t" }, "/prog"))
            .toEqual({ mode: "http", endpoint: "https://cp.example.net", token: "t" });
    });

    it("lets stack config win over the environment, ignores empty values, and resolves relative folders against the program", () => {
        const c = resolveConfig({ dataDir: "state", principal: "userAccount:alice" }, { MLPLATFORM_DATA_DIR: "/elsewhere", MLPLATFORM_PRINCIPAL: "userAccount:bob" }, "/prog");
        expect(c).toMatchObject({ mode: "embedded", dataDir: "/prog/state", principal: "userAccount:alice" });
        expect(resolveConfig({ principal: undefined }, { MLPLATFORM_DATA_DIR: "../shared", MLPLATFORM_PRINCIPAL: "", MLPLATFORM_ENDPOINT: "" }, "/prog/app"))
            .toEqual({ mode: "embedded", dataDir: "/prog/shared", principal: DEFAULT_PRINCIPAL, encryptionKey: undefined });
    });

    it("switches to HTTP with an endpoint and needs a token", () => {
        expect(resolveConfig({ endpoint: "http://cp:8470", token: "t", dataDir: "ignored" }, {}, "/p")).toEqual({ mode: "http", endpoint: "http://cp:8470", token: "t" });
        expect(expectError(() => resolveConfig({ endpoint: "http://cp:8470" }, {}, "/p"))).toMatchObject({
            code: "INVALID_ARGUMENT",
            message: "provider setting token is required with endpoint http://cp:8470. Set mlplatform:token (as a secret) or MLPLATFORM_TOKEN.",
        });
    });

    it.each([
        [{ principal: "alice" }, /^provider setting principal \(mlplatform:principal or MLPLATFORM_PRINCIPAL\) must be a subject like userAccount:alice, got "alice"\. Subject the provider acts as/],
        [{ principal: "userAccount:" }, /got "userAccount:"/],
        [{ endpoint: "not a url" }, /^provider setting endpoint \(mlplatform:endpoint or MLPLATFORM_ENDPOINT\) must be an http\(s\) URL, got "not a url"\./],
    ])("names the setting, the value and the fix for %j", (values, message) => {
        const e = expectError(() => resolveConfig(values, {}, "/p"));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toMatch(message);
    });

    it("never shows a secret setting's value", () => {
        const e = expectError(() => resolveConfig({ endpoint: "not a url" }, { MLPLATFORM_TOKEN: "tok-secret", MLPLATFORM_ENCRYPTION_KEY: "key-secret" }, "/p"));
        expect(e.message).toMatch(/endpoint/);
        expect(e.message).not.toMatch(/tok-secret|key-secret/);
    });
});
