// The HTTP client against servers that are not (or not only) the control plane: one that never answers, proxies
// answering pages instead of JSON, one that echoes the request. Clear UNAVAILABLE errors naming the endpoint, the
// token never in them, and never NOT_FOUND (the provider would take it for a deleted object).
import * as http from "http";
import { AddressInfo } from "net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../../provider/client/http";

const TOKEN = "s3cr3t-token-value";
let server: http.Server;
let endpoint: string;

// Each path behaves as one kind of wrong server.
beforeAll(async () => {
    server = http.createServer((req, res) => {
        req.resume();
        const route = req.url!.split("/")[1];
        if (route === "silent") return; // never answers
        if (route === "stalls") return void res.writeHead(200, { "content-type": "application/json", "content-length": "100" }).write("{");
        if (route === "gateway") return void res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
        if (route === "page") return void res.writeHead(404, { "content-type": "text/html" }).end("<html>Not Found</html>");
        if (route === "plain") return void res.writeHead(200, { "content-type": "text/plain" }).end("hello");
        if (route === "echo") return void res.writeHead(400, { "content-type": "text/plain" }).end(`you sent ${req.headers.authorization}`);
        if (route === "echo-json") return void res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "INVALID_ARGUMENT", message: `bad ${req.headers.authorization}` } }));
        if (route === "odd-json") return void res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "toString", message: 5 } }));
        res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (route: string, timeoutMs?: number) => httpClient({ mode: "http", endpoint: `${endpoint}/${route}`, token: TOKEN, timeoutMs });

async function failure(route: string, timeoutMs?: number) {
    const e: any = await client(route, timeoutMs).get("Organization", "orgaaaaaaaaaaaaaaaaa").then(() => undefined, (e) => e);
    expect(e?.name).toBe("PlatformError");
    expect(JSON.stringify({ message: e.message, failures: e.failures })).not.toContain(TOKEN);
    return e as { code: string; message: string };
}

describe("HTTP client", () => {
    it("gives up after its timeout with UNAVAILABLE naming the endpoint, also when the answer stops midway", async () => {
        const started = Date.now();
        expect(await failure("silent", 200)).toEqual(expect.objectContaining({
            code: "UNAVAILABLE",
            message: `the control plane at ${endpoint}/silent did not answer get within 0.2 s. Check that the server is running and not overloaded, and that mlplatform:endpoint points at it.`,
        }));
        expect(await failure("stalls", 200)).toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/\/stalls did not answer get within 0\.2 s/) });
        expect(Date.now() - started).toBeLessThan(3_000);
    });

    it("reports a page instead of JSON with its status, never as a parse crash or NOT_FOUND", async () => {
        expect(await failure("gateway")).toMatchObject({
            code: "UNAVAILABLE",
            message: `the control plane at ${endpoint}/gateway answered get with HTTP 502 and a body that is not JSON (text/html): "<html><body>502 Bad Gateway</body></html>". Check that mlplatform:endpoint is the control plane's root URL and that no proxy in between fails.`,
        });
        expect(await failure("page")).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("HTTP 404 and a body that is not JSON (text/html)") });
        expect(await failure("plain")).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining('HTTP 200 and a body that is not JSON (text/plain): "hello"') });
    });

    it("never shows the token, even when a server echoes it", async () => {
        expect((await failure("echo")).message).toContain('"you sent Bearer [token]"');
        expect(await failure("echo-json")).toMatchObject({ code: "INVALID_ARGUMENT", message: "bad Bearer [token]" });
    });

    it("takes only real error codes from a JSON answer", async () => {
        expect(await failure("odd-json")).toMatchObject({ code: "INTERNAL", message: expect.stringMatching(/odd-json answered get with HTTP 500: \{"error":\{"code":"toString","message":5\}\}$/) });
    });

    it("says why a server cannot be reached", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        expect(await httpClient({ mode: "http", endpoint: `http://127.0.0.1:${port}`, token: TOKEN }).get("Organization", "x").catch((e) => e)).toMatchObject({
            code: "UNAVAILABLE",
            message: `cannot reach the control plane at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}). Check mlplatform:endpoint and that the server is running.`,
        });
    });
});
