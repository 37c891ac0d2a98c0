// The control plane served over HTTP, reached with the HTTP client: same rules, codes carried across.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../../provider/client/http";
import { Served, serveControlPlane } from "../support/served";

let served: Served;
let endpoint: string;

beforeAll(async () => {
    served = await serveControlPlane("alice-token=userAccount:alice,bob-token=userAccount:bob");
    endpoint = served.endpoint;
});
afterAll(() => served.close());

describe("control plane over HTTP", () => {
    it("creates and reads as the token's principal; other organizations stay invisible", async () => {
        const alice = httpClient({ mode: "http", endpoint, token: "alice-token" });
        const bob = httpClient({ mode: "http", endpoint, token: "bob-token" });
        const org = await alice.create({ kind: "Organization", spec: { name: "http-org", displayName: "Http", defaultZone: "ru-central1-a" } });
        expect(org.createdBy).toBe("userAccount:alice");
        expect((await alice.get("Organization", org.id)).spec.displayName).toBe("Http");
        await expect(bob.get("Organization", org.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
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

describe("requests over HTTP are parsed whole", () => {
    // Each operation's body goes through the contract's strict schema: a misspelt field is refused, never dropped.
    it.each([
        ["get", { kind: "Organization", id: "orgaaaaaaaaaaaaaaaaa", version: 3 }, /^request has unknown field "version"\./],
        ["lookup", { kind: "Organization", spec: {}, parent: "x" }, /^request has unknown field "parent"\./],
        ["listVersions", { id: "ckpaaaaaaaaaaaaaaaaa", kind: "Checkpoint" }, /^request has unknown field "kind"\./],
        ["identity", { who: "me" }, /^request has unknown field "who"\./],
    ])("%s refuses a field it does not know", async (op, body, message) => {
        const res = await fetch(`${endpoint}/v1/${op}`, {
            method: "POST", headers: { "content-type": "application/json", authorization: "Bearer alice-token" }, body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
        const answer = await res.json() as { error: { code: string; message: string } };
        expect(answer.error.code).toBe("INVALID_ARGUMENT");
        expect(answer.error.message).toMatch(message);
    });
});
