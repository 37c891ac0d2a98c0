import * as path from "path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, DEFAULT_PRINCIPAL, resolveConfig } from "../../provider/client/config";
import { expectError } from "../controlplane/support";

describe("resolveConfig", () => {
    it("defaults to the embedded database next to the program", () => {
        expect(resolveConfig({}, {}, "/prog")).toEqual({ mode: "embedded", dataDir: path.join("/prog", DEFAULT_DATA_DIR), principal: DEFAULT_PRINCIPAL, encryptionKey: undefined });
    });
    it("lets stack config win over the environment, and resolves relative folders against the program", () => {
        const c = resolveConfig({ dataDir: "state", principal: "userAccount:alice" }, { MLPLATFORM_DATA_DIR: "/elsewhere", MLPLATFORM_PRINCIPAL: "userAccount:bob" }, "/prog");
        expect(c).toMatchObject({ mode: "embedded", dataDir: "/prog/state", principal: "userAccount:alice" });
        expect(resolveConfig({}, { MLPLATFORM_DATA_DIR: "/abs" }, "/prog")).toMatchObject({ dataDir: "/abs" });
    });
    it("switches to HTTP with an endpoint and needs a token", () => {
        expect(resolveConfig({ endpoint: "http://cp:8470", token: "t" }, {}, "/p")).toEqual({ mode: "http", endpoint: "http://cp:8470", token: "t" });
        expect(expectError(() => resolveConfig({ endpoint: "http://cp:8470" }, {}, "/p")).message).toMatch(/token is required with endpoint http:\/\/cp:8470/);
    });
    it("names the setting, the value and the fix, but never a secret value", () => {
        const bad = expectError(() => resolveConfig({ principal: "alice" }, {}, "/p"));
        expect(bad.message).toMatch(/principal \(mlplatform:principal or MLPLATFORM_PRINCIPAL\) must be a subject like userAccount:alice, got "alice"/);
        const secret = expectError(() => resolveConfig({ token: "" , endpoint: "not a url" }, { MLPLATFORM_TOKEN: "tok-secret" }, "/p"));
        expect(secret.message).toMatch(/endpoint/);
        expect(secret.message).not.toContain("tok-secret");
    });
});
