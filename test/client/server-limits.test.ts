// The served control plane facing a network: oversized, slow and malformed requests each get a JSON answer
// with the right status (never a reset connection, never a 500), and the server goes on serving after each.
// A real server on 127.0.0.1 with the real service on a temporary database; timeouts shortened for the test.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { httpClient } from "../../provider/client/http";
import { SecretBox } from "../../provider/controlplane/crypto";
import { createServer, DEFAULT_LIMITS, parseTokens, ServerLimits } from "../../provider/controlplane/server";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";

const TOKEN = "alice-token";
const LIMITS: Partial<ServerLimits> = { headersTimeoutMs: 300, requestTimeoutMs: 600, drainMs: 2_000 };
const MB50 = 50 * 1024 * 1024;

let dir: string;
let server: http.Server;
let port: number;
let endpoint: string;
let orgId: string;
const logged = vi.spyOn(console, "error");

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-limits-"));
    const service = new ControlPlaneService(openDatabase(path.join(dir, "platform.db")), new SecretBox(crypto.randomBytes(32)));
    server = createServer(service, parseTokens(`${TOKEN}=userAccount:alice`), LIMITS);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
    endpoint = `http://127.0.0.1:${port}`;
    orgId = (await httpClient({ mode: "http", endpoint, token: TOKEN }).create({ kind: "Organization", spec: { name: "limits-org", displayName: "Limits", defaultZone: "ru-central1-a" } })).id;
});
afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
});
// After every refusal: the server still answers a real call, and nothing was an internal error.
afterEach(async () => {
    const org = await httpClient({ mode: "http", endpoint, token: TOKEN }).get("Organization", orgId);
    expect(org.spec.name).toBe("limits-org");
    expect(logged).not.toHaveBeenCalled();
});

const JSON_TYPE = { "content-type": "application/json" };
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function post(route: string, body: string | Buffer | undefined, headers: Record<string, string> = { ...JSON_TYPE, ...AUTH }, method = "POST") {
    const res = await fetch(`${endpoint}${route}`, { method, headers, body });
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    return { status: res.status, headers: res.headers, error: JSON.parse(text).error as { code: string; message: string; failures: unknown[] } };
}

/** Everything the server sends on a raw connection until it closes it, and how long that took. */
function raw(drive: (socket: net.Socket) => void): Promise<{ status: number; error: { code: string; message: string }; ms: number }> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const socket = net.connect(port, "127.0.0.1");
        let text = "";
        socket.on("data", (d) => (text += d));
        socket.on("error", () => {}); // our late writes after the server has closed
        socket.on("close", () => {
            const [head, body] = text.split("\r\n\r\n");
            if (!body || !/\r\nConnection: close(\r\n|$)/i.test(head)) return reject(new Error(`no answer closing the connection: ${JSON.stringify(text)}`));
            resolve({ status: Number(head.split(" ")[1]), error: JSON.parse(body).error, ms: Date.now() - started });
        });
        drive(socket);
    });
}

/** Writes `chunk` every `ms` until the server closes the connection. */
function trickle(socket: net.Socket, chunk: string, ms: number): void {
    const timer = setInterval(() => (socket.writable ? socket.write(chunk) : clearInterval(timer)), ms);
    socket.on("close", () => clearInterval(timer));
}

describe("oversized bodies", () => {
    it("answers a 50 MB body from fetch with 413, naming the limit, the size and the fix, and closes the connection", async () => {
        const { status, headers, error } = await post("/v1/create", Buffer.alloc(MB50, "a"));
        expect(status).toBe(413);
        expect(headers.get("connection")).toBe("close");
        expect(error).toEqual({
            code: "RESOURCE_EXHAUSTED",
            message: "request body of 52428800 bytes (50 MiB) is over the server's limit of 1048576 bytes (1 MiB). Keep each object's spec small: put large content in storage and reference it.",
            failures: [],
        });
    });

    it("refuses a body without a declared length as soon as it passes the limit, and the client reads the answer", async () => {
        const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
            const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/v1/create", headers: { ...JSON_TYPE, ...AUTH } }, (res) => {
                let text = "";
                res.on("data", (d) => (text += d)).on("end", () => resolve({ status: res.statusCode!, text }));
            });
            req.on("error", reject);
            // Chunked, 8 MiB in 64 KiB pieces, sent without waiting for anything.
            const chunk = Buffer.alloc(64 * 1024, "a");
            for (let i = 0; i < 128; i++) req.write(chunk);
            req.end();
        });
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.text).error.message).toMatch(/^request body of more than 1048576 bytes is over the server's limit of 1048576 bytes \(1 MiB\)\./);
    });

    it("answers through the HTTP client as RESOURCE_EXHAUSTED", async () => {
        const alice = httpClient({ mode: "http", endpoint, token: TOKEN });
        await expect(alice.create({ kind: "Organization", spec: { name: "big", displayName: "x".repeat(2 << 20), defaultZone: "ru-central1-a" } }))
            .rejects.toMatchObject({ code: "RESOURCE_EXHAUSTED", message: expect.stringMatching(/over the server's limit of 1048576 bytes/) });
    });

    it("refuses a client that asks first (Expect: 100-continue) without inviting the body", async () => {
        const ask = (length: number) => new Promise<{ status: number; invited: boolean }>((resolve, reject) => {
            let invited = false;
            const body = JSON.stringify({ kind: "Organization", id: orgId }).padEnd(length, " ");
            const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/v1/get", headers: { ...JSON_TYPE, ...AUTH, expect: "100-continue", "content-length": String(length) } }, (res) => {
                res.resume().on("end", () => resolve({ status: res.statusCode!, invited }));
            });
            req.on("continue", () => { invited = true; req.end(body); });
            req.on("error", reject);
            req.flushHeaders();
        });
        expect(await ask(MB50)).toEqual({ status: 413, invited: false });
        expect(await ask(1000)).toEqual({ status: 200, invited: true });
    });

    it("does not read a body for an unknown token: 401 from the headers alone, token never echoed", async () => {
        const { status, error } = await post("/v1/create", Buffer.alloc(MB50, "a"), { ...JSON_TYPE, authorization: "Bearer not-a-token" });
        expect(status).toBe(401);
        expect(error.code).toBe("UNAUTHENTICATED");
        expect(error.message).not.toContain("not-a-token");
    });

    it("refuses a body nested deeper than the limit instead of overflowing the stack", async () => {
        const deep = "[".repeat(200_000) + "]".repeat(200_000);
        const { status, error } = await post("/v1/create", `{"kind":"Organization","spec":{"name":"deep","displayName":"D","defaultZone":"ru-central1-a","labels":{"a":${deep}}}}`);
        expect(status).toBe(400);
        expect(error.message).toBe(`request body nests arrays and objects 200003 levels deep, over the limit of ${DEFAULT_LIMITS.maxDepth}. Flatten the spec.`);
    });
});

describe("slow clients", () => {
    it("answers 408 to headers that trickle in", async () => {
        const { status, error, ms } = await raw((socket) => {
            socket.write("POST /v1/get HTTP/1.1\r\nHost: x\r\n");
            trickle(socket, "X-Slow: a\r\n", 50);
        });
        expect(status).toBe(408);
        expect(error.code).toBe("UNAVAILABLE");
        expect(error.message).toMatch(/^request not received in time: the server waits 300 ms for the headers and 600 ms for the whole request\./);
        expect(ms).toBeGreaterThanOrEqual(300);
    });

    it("answers 408 to a body that trickles in, though it is never idle", async () => {
        const { status, error, ms } = await raw((socket) => {
            socket.write(`POST /v1/get HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
            trickle(socket, " ", 50);
        });
        expect(status).toBe(408);
        expect(error.code).toBe("UNAVAILABLE");
        expect(ms).toBeGreaterThanOrEqual(600);
    });

    it("keeps idle connections for keepAliveTimeoutMs, announced to the client, and has production defaults", async () => {
        const defaults = createServer({} as ControlPlaneService, new Map());
        expect([defaults.headersTimeout, defaults.requestTimeout, defaults.keepAliveTimeout]).toEqual([10_000, 30_000, 5_000]);
        expect(server.keepAliveTimeout).toBe(DEFAULT_LIMITS.keepAliveTimeoutMs);
        const res = await fetch(`${endpoint}/v1/get`, { method: "POST", headers: { ...JSON_TYPE, ...AUTH }, body: JSON.stringify({ kind: "Organization", id: orgId }) });
        await res.text();
        expect(res.headers.get("keep-alive")).toBe("timeout=5");
    });
});

describe("malformed requests", () => {
    const get = JSON.stringify({ kind: "Organization", id: "orgaaaaaaaaaaaaaaaaa" });
    it.each<[string, string, string | Buffer | undefined, Record<string, string> | undefined, number, string, RegExp]>([
        ["not JSON", "/v1/get", "{kind: Organization", undefined, 400, "INVALID_ARGUMENT", /^request body is not JSON \(.*\)\. Send a JSON object, e.g\. \{"kind":"Organization","id":"\.\.\."\}\.$/],
        ["an array", "/v1/get", "[]", undefined, 400, "INVALID_ARGUMENT", /^request body must be a JSON object, got \[\]\. Send e\.g\./],
        ["a string", "/v1/list", '"x"', undefined, 400, "INVALID_ARGUMENT", /^request body must be a JSON object, got "x"\./],
        ["null", "/v1/list", "null", undefined, 400, "INVALID_ARGUMENT", /^request body must be a JSON object, got null\./],
        ["invalid UTF-8", "/v1/get", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), undefined, 400, "INVALID_ARGUMENT", /^request body is not valid UTF-8\. Send the JSON encoded in UTF-8\.$/],
        ["an unknown operation", "/v1/destroy", get, undefined, 404, "INVALID_ARGUMENT", /^no operation at "\/v1\/destroy" on this server\. Use POST \/v1\/<create\|get\|[a-zA-Z|]+>, and set mlplatform:endpoint to the server's root URL\.$/],
        ["a path under a prefix", "/api/v1/get", get, undefined, 404, "INVALID_ARGUMENT", /^no operation at "\/api\/v1\/get"/],
        ["the root", "/", undefined, undefined, 404, "INVALID_ARGUMENT", /^no operation at "\/"/],
        ["text/plain", "/v1/get", get, { "content-type": "text/plain", ...AUTH }, 415, "INVALID_ARGUMENT", /^content-type must be application\/json \(in UTF-8\), got "text\/plain"\. Send the body as JSON with the header Content-Type: application\/json\.$/],
        ["no content-type", "/v1/get", Buffer.from(get), { ...AUTH }, 415, "INVALID_ARGUMENT", /^content-type must be application\/json \(in UTF-8\), got none\./],
        ["a charset other than UTF-8", "/v1/get", get, { "content-type": "application/json; charset=latin1", ...AUTH }, 415, "INVALID_ARGUMENT", /got "application\/json; charset=latin1"/],
        ["a kind that is a number", "/v1/get", '{"kind":5,"id":"x"}', undefined, 400, "INVALID_ARGUMENT", /^kind 5 is not a kind this platform knows\. Use one of Organization, /],
        ["an id that is a number", "/v1/get", '{"kind":"Organization","id":5}', undefined, 400, "INVALID_ARGUMENT", /^id must be an object id \(a non-empty string\), got 5\.$/],
        ["no id", "/v1/delete", '{"kind":"Organization"}', undefined, 400, "INVALID_ARGUMENT", /^id must be an object id \(a non-empty string\), got nothing\.$/],
        ["a parentId that is an object", "/v1/list", '{"kind":"Community","parentId":{}}', undefined, 400, "INVALID_ARGUMENT", /^parentId must be an object id \(a non-empty string\), got \{\}\.$/],
        ["a spec that is a string", "/v1/create", '{"kind":"Organization","spec":"x"}', undefined, 400, "INVALID_ARGUMENT", /^spec must be an object, got "x"\.$/],
        ["no spec for lookup", "/v1/lookup", '{"kind":"Organization"}', undefined, 400, "INVALID_ARGUMENT", /^spec must be an object, got nothing\.$/],
        ["a patch that is an array", "/v1/update", '{"kind":"Organization","id":"orgaaaaaaaaaaaaaaaaa","patch":[]}', undefined, 400, "INVALID_ARGUMENT", /^patch must be an object, got \[\]\.$/],
        ["a pageSize that is a string", "/v1/list", '{"kind":"Organization","pageSize":"10"}', undefined, 400, "INVALID_ARGUMENT", /^pageSize must be a whole number/],
        ["adoptIdentical that is a string", "/v1/create", '{"kind":"Organization","spec":{},"adoptIdentical":"yes"}', undefined, 400, "INVALID_ARGUMENT", /^adoptIdentical must be true or false, got "yes"\.$/],
    ])("refuses %s", async (_name, route, body, headers, status, code, message) => {
        const answer = await post(route, body, headers);
        expect(answer.status).toBe(status);
        expect(answer.error.code).toBe(code);
        expect(answer.error.message).toMatch(message);
    });

    it("refuses a wrong method with 405 and Allow: POST", async () => {
        const { status, headers, error } = await post("/v1/get", undefined, { ...AUTH }, "GET");
        expect(status).toBe(405);
        expect(headers.get("allow")).toBe("POST");
        expect(error).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^"GET" is not allowed on \/v1\/get\. Use POST/) });
    });

    it("takes an empty body as {} and a JSON body in UTF-8 with a charset", async () => {
        expect((await post("/v1/list", undefined, { ...AUTH })).error).toMatchObject({ message: expect.stringMatching(/^kind nothing is not a kind/) });
        const res = await fetch(`${endpoint}/v1/get`, { method: "POST", headers: { "content-type": "Application/JSON; charset=UTF-8", ...AUTH }, body: JSON.stringify({ kind: "Organization", id: orgId }) });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { id: string }).id).toBe(orgId);
    });

    it("answers malformed HTTP and oversized headers in JSON, without quoting the request", async () => {
        const garbage = await raw((socket) => socket.write(`POST /v1/get HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: nope\r\n\r\n`));
        expect(garbage.status).toBe(400);
        expect(garbage.error.message).toMatch(/^malformed HTTP request \(HPE_[A-Z_]+\)\. Send an HTTP\/1\.1 POST with a JSON body/);
        expect(JSON.stringify(garbage)).not.toContain(TOKEN);
        const huge = await raw((socket) => socket.write(`POST /v1/get HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
        expect(huge.status).toBe(431);
        expect(huge.error.code).toBe("RESOURCE_EXHAUSTED");
    });
});
