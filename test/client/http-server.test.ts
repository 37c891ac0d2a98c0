// The control plane served over HTTP, reached with the HTTP client: same rules, codes carried across.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../../provider/client/http";
import { SecretBox } from "../../provider/controlplane/crypto";
import { createServer, parseTokens } from "../../provider/controlplane/server";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";
import * as crypto from "crypto";
import type { Server } from "http";

let server: Server;
let endpoint: string;

beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-http-"));
    const service = new ControlPlaneService(openDatabase(path.join(dir, "platform.db")), new SecretBox(crypto.randomBytes(32)));
    server = createServer(service, parseTokens("alice-token=userAccount:alice,bob-token=userAccount:bob"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("control plane over HTTP", () => {
    it("creates and reads as the token's principal; other organizations stay invisible", async () => {
        const alice = httpClient({ mode: "http", endpoint, token: "alice-token" });
        const bob = httpClient({ mode: "http", endpoint, token: "bob-token" });
        const org = await alice.create({ kind: "Organization", spec: { name: "http-org", displayName: "Http", defaultZone: "ru-central1-a" } });
        expect(org.createdBy).toBe("userAccount:alice");
        expect((await alice.get("Organization", org.id)).spec.displayName).toBe("Http");
        await expect(bob.get("Organization", org.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
        await expect(alice.lookup("Organization", { name: "nope" })).resolves.toBeUndefined();
    });

    it("carries rule errors with their code and message", async () => {
        const alice = httpClient({ mode: "http", endpoint, token: "alice-token" });
        await expect(alice.create({ kind: "Organization", spec: { name: "Bad Name", displayName: "X", defaultZone: "ru-central1-a" } }))
            .rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining('name must be 1-63 lowercase letters') });
    });

    it("refuses unknown tokens and unreachable servers clearly", async () => {
        await expect(httpClient({ mode: "http", endpoint, token: "wrong" }).get("Organization", "orgaaaaaaaaaaaaaaaaa"))
            .rejects.toMatchObject({ code: "UNAUTHENTICATED" });
        await expect(httpClient({ mode: "http", endpoint: "http://127.0.0.1:1", token: "t" }).get("Organization", "x"))
            .rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("cannot reach the control plane at http://127.0.0.1:1") });
    });

    it("answers an endpoint with a wrong path as a configuration mistake, never NOT_FOUND (read as a deleted object)", async () => {
        await expect(httpClient({ mode: "http", endpoint: `${endpoint}/api`, token: "alice-token" }).get("Organization", "orgaaaaaaaaaaaaaaaaa"))
            .rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^no operation at "\/api\/v1\/get" on this server\. .*set mlplatform:endpoint to the server's root URL\.$/) });
    });
});
