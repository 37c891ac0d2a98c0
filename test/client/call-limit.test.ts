// No more calls in flight to the platform than mlplatform:maxConcurrentCalls, and calls refused for a quota made
// again: the gate and the wrapper on a client double that counts its calls in flight; then through the real
// dynamic-provider host against a served control plane that answers slowly (counted at the server), one that
// refuses for its quota twice, and the DataSphere fake (counted at the fake).
import * as http from "http";
import type { AddressInfo } from "net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CallGate, limitCalls, RetryPolicy } from "../../provider/client/call-limit";
import type { ControlPlaneClient } from "../../provider/client/client";
import { resolveConfig, settingsFromConfig } from "../../provider/client/config";
import { DEFAULT_TUNING } from "../../provider/client/datasphere/transport";
import { ErrorCode, PlatformError } from "../../provider/model/errors";
import type { PlatformObject } from "../../provider/model/contract";
import { hostConfigFor } from "../support/datasphere-client";
import { DataSphereFake } from "../support/datasphere-fake";
import { DynamicHost, ownedDataset, ownedWorld, ownerUrn as urn } from "../support/dynamic-host";
import { Served, serveControlPlane } from "../support/served";

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const FAST: RetryPolicy = { attempts: 5, baseMs: 1, maxMs: 4 };

/**
 * A client double: each call takes `ms`, is counted while in flight, and fails first with the errors `failures`
 * lists for its label (the object's name or id).
 */
function countingClient(ms: number, failures: Record<string, ErrorCode[]> = {}) {
    const counts = { inFlight: 0, peak: 0, calls: 0, started: [] as string[] };
    const object = (id: string) => ({ id }) as PlatformObject;
    const work = async (label: string): Promise<PlatformObject> => {
        counts.calls++;
        counts.started.push(label);
        counts.peak = Math.max(counts.peak, ++counts.inFlight);
        try {
            await pause(ms);
            const failure = failures[label]?.shift();
            if (failure) throw new PlatformError(failure, `the platform says ${failure}`);
            return object(label);
        } finally {
            counts.inFlight--;
        }
    };
    const client: ControlPlaneClient = {
        principal: "userAccount:test", location: "a test double",
        identity: async () => ({ id: "double" }),
        create: (req) => work(String(req.spec.name)),
        get: (_kind, id) => work(id),
        update: (req) => work(req.id),
        delete: async (req) => void (await work(req.id)),
        list: async () => ({ items: [await work("list")] }),
    };
    return { client, counts };
}

describe("the gate", () => {
    it("lets no more than its limit through at once, in the order the calls came, and every call completes", async () => {
        const { client, counts } = countingClient(5);
        const limited = limitCalls(client, new CallGate(3), undefined);
        const ids = Array.from({ length: 30 }, (_, i) => `d${i}`);
        const got = await Promise.all(ids.map((id) => limited.get("Dataset", id)));
        expect(got.map((o) => o.id)).toEqual(ids);
        expect(counts.peak).toBe(3);
        expect(counts.started).toEqual(ids);
    });

    it("lets waiting calls in at once when its limit is raised, and holds new ones back when it is lowered", async () => {
        const { client, counts } = countingClient(20);
        const gate = new CallGate(1);
        const limited = limitCalls(client, gate, undefined);
        const all = Promise.all(Array.from({ length: 6 }, (_, i) => limited.get("Dataset", `d${i}`)));
        await pause(5);
        expect(counts.inFlight).toBe(1);
        gate.limit = 4;
        expect(gate.inFlight).toBe(4);
        await all;
        expect(counts.peak).toBe(4);
        gate.limit = 2;
        counts.peak = 0;
        await Promise.all(Array.from({ length: 6 }, (_, i) => limited.get("Dataset", `e${i}`)));
        expect(counts.peak).toBe(2);
    });

    it("is left while a refused call pauses, so the others go on", async () => {
        const { client, counts } = countingClient(5, { first: ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED"] });
        const gate = new CallGate(1);
        const limited = limitCalls(client, gate, { attempts: 5, baseMs: 40, maxMs: 40 });
        const refused = limited.get("Dataset", "first");
        const other = limited.get("Dataset", "second");
        // The first call is refused, then pauses 20-40 ms outside the gate: the second gets through meanwhile.
        expect((await other).id).toBe("second");
        expect((await refused).id).toBe("first");
        expect(counts.started).toEqual(["first", "second", "first", "first"]);
    });
});

describe("calls refused by the platform", () => {
    it("makes a call refused for a quota again, with a growing pause, until it goes through", async () => {
        const { client, counts } = countingClient(1, { d: ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED"] });
        const created = await limitCalls(client, new CallGate(2), FAST).create({ kind: "Dataset", spec: { name: "d" } });
        expect(created.id).toBe("d");
        expect(counts.calls).toBe(3);
    });

    it("makes an unavailable call again only where making it twice cannot do anything twice", async () => {
        const cases: [string, (c: ControlPlaneClient) => Promise<unknown>, number][] = [
            ["a read", (c) => c.get("Dataset", "d"), 2],
            ["a keyed create", (c) => c.create({ kind: "Dataset", spec: { name: "d" }, idempotencyKey: "k" }), 2],
            ["a keyed update", (c) => c.update({ kind: "Dataset", id: "d", patch: {}, idempotencyKey: "k" }), 2],
            ["a delete by id", (c) => c.delete({ kind: "Dataset", id: "d" }), 2],
            ["a create without a key", (c) => c.create({ kind: "Dataset", spec: { name: "d" } }), 1],
            ["an update without a key", (c) => c.update({ kind: "Dataset", id: "d", patch: {} }), 1],
        ];
        for (const [what, call, expected] of cases) {
            const { client, counts } = countingClient(1, { d: ["UNAVAILABLE"] });
            const result = await call(limitCalls(client, new CallGate(2), FAST)).then(() => "done", (e) => e.code);
            expect([what, counts.calls, result]).toEqual([what, expected, expected === 2 ? "done" : "UNAVAILABLE"]);
        }
    });

    it("gives up after the last attempt with the platform's error, saying how many were made; other errors are not retried", async () => {
        const { client, counts } = countingClient(1, { d: Array(9).fill("RESOURCE_EXHAUSTED") });
        const error = await limitCalls(client, new CallGate(2), FAST).get("Dataset", "d").catch((e) => e);
        expect(error).toMatchObject({ code: "RESOURCE_EXHAUSTED", message: "the platform says RESOURCE_EXHAUSTED (5 attempts)" });
        expect(counts.calls).toBe(5);
        const conflict = countingClient(1, { d: ["ABORTED"] });
        await expect(limitCalls(conflict.client, new CallGate(2), FAST).get("Dataset", "d")).rejects.toMatchObject({ code: "ABORTED", message: "the platform says ABORTED" });
        expect(conflict.counts.calls).toBe(1);
        const unretried = countingClient(1, { d: ["RESOURCE_EXHAUSTED"] });
        await expect(limitCalls(unretried.client, new CallGate(2), undefined).get("Dataset", "d")).rejects.toMatchObject({ code: "RESOURCE_EXHAUSTED" });
        expect(unretried.counts.calls).toBe(1);
    });
});

describe("the setting", () => {
    it("is read from stack config or MLPLATFORM_MAX_CONCURRENT_CALLS, on every backend", () => {
        expect(resolveConfig(settingsFromConfig({ "mlplatform:maxConcurrentCalls": "4" }), {}, "/p")).toMatchObject({ mode: "embedded", maxConcurrentCalls: 4 });
        expect(resolveConfig({ endpoint: "http://cp:8470", token: "t" }, { MLPLATFORM_MAX_CONCURRENT_CALLS: "32" }, "/p")).toMatchObject({ mode: "http", maxConcurrentCalls: 32 });
        expect(resolveConfig({ backend: "datasphere", iamToken: "t1.x", maxConcurrentCalls: "1000" }, {}, "/p")).toMatchObject({ mode: "datasphere", maxConcurrentCalls: 1000 });
        expect(resolveConfig({}, {}, "/p")).not.toHaveProperty("maxConcurrentCalls");
    });

    it("refuses what is not a whole number from 1 to 1000, naming the setting, the value and the fix", () => {
        for (const bad of ["0", "-1", "1001", "2.5", "eight", "08"]) {
            expect(() => settingsFromConfig({ "mlplatform:maxConcurrentCalls": bad })).toThrow(
                `provider setting maxConcurrentCalls (mlplatform:maxConcurrentCalls or MLPLATFORM_MAX_CONCURRENT_CALLS) must be a whole number from 1 to 1000, e.g. 8, got ${JSON.stringify(bad)}.`);
        }
    });
});

describe("through the dynamic-provider host", () => {
    let host: DynamicHost | undefined;
    let served: Served | undefined;
    afterEach(async () => {
        await host?.stop();
        await served?.close();
        host = served = undefined;
    });

    it("keeps the calls a served control plane has in flight at the configured limit", async () => {
        served = await serveControlPlane("t=userAccount:owner", { latency: { callMs: 30, mutationMs: 30 } });
        host = await DynamicHost.start({ "mlplatform:endpoint": served.endpoint, "mlplatform:token": "t", "mlplatform:maxConcurrentCalls": "3" });
        const { project } = await ownedWorld(host, "limit");
        served.reset();
        const made = await Promise.all(Array.from({ length: 12 }, (_, i) => host!.up("Dataset", ownedDataset(project, urn("limit", "Dataset", `d${i}`)))));
        expect(new Set(made.map((m) => m.id)).size).toBe(12);
        expect(served.stats().byOperation.create).toBe(12);
        expect(served.stats().maxInFlight).toBe(3);
    }, 30_000);

    it("makes a create refused twice for a quota again until the server takes it", async () => {
        served = await serveControlPlane("t=userAccount:owner");
        const quota = await refusingProxy(served.endpoint, "create");
        try {
            host = await DynamicHost.start({ "mlplatform:endpoint": quota.endpoint, "mlplatform:token": "t" });
            const { project } = await ownedWorld(host, "quota");
            served.reset();
            quota.refuseNext(2);
            const made = await host.up("Dataset", ownedDataset(project, urn("quota", "Dataset", "d")));
            expect(quota.refused).toBe(2);
            // The refused attempts never reached the control plane; the third made the dataset, once.
            expect(served.stats().byOperation.create).toBe(1);
            expect(served.service.list("userAccount:owner", { kind: "Dataset", parentId: project.id }).items.map((o) => o.id)).toEqual([made.id]);
        } finally {
            await quota.close();
        }
    }, 30_000);
});

/**
 * An HTTP server in front of a served control plane that refuses the next requests of `operation` it is told to with
 * 429 and RESOURCE_EXHAUSTED, as a platform's rate limit answers, and passes everything else through.
 */
async function refusingProxy(target: string, operation: string) {
    const state = { toRefuse: 0, refused: 0 };
    const server = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        if (req.url === `/v1/${operation}` && state.toRefuse > 0) {
            state.toRefuse--;
            state.refused++;
            res.writeHead(429, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "RESOURCE_EXHAUSTED", message: "rate limit: too many requests", failures: [] } }));
            return;
        }
        const answer = await fetch(new URL(req.url!, target), { method: req.method, headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        refuseNext: (times: number) => void (state.toRefuse = times),
        get refused() {
            return state.refused;
        },
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

describe("through the dynamic-provider host on DataSphere", () => {
    let fake: DataSphereFake;
    let host: DynamicHost;
    let orgId: string;

    beforeAll(async () => {
        fake = await DataSphereFake.start();
        orgId = fake.addOrganization("acme", "Acme");
        host = await DynamicHost.start({ ...hostConfigFor(fake), "mlplatform:maxConcurrentCalls": "2" });
    }, 30_000);
    afterAll(async () => {
        await host?.stop();
        await fake?.stop();
    });

    const community = (name: string) => ({ __owner: urn("ds-limit", "Community", name), organizationId: orgId, organization: "acme", zone: "ru-central1-a" });

    it("keeps the requests DataSphere has in flight at the configured limit, each request counted (polls too)", async () => {
        fake.faults.callMs = 30;
        fake.peakInFlight = 0;
        try {
            const made = await Promise.all(Array.from({ length: 6 }, (_, i) => host.up("Community", community(`c${i}`))));
            expect(new Set(made.map((m) => m.id)).size).toBe(6);
        } finally {
            fake.faults.callMs = 0;
        }
        expect(fake.peakInFlight).toBe(2);
    }, 30_000);

    it("retries a request refused for a quota in the DataSphere client alone, never twice over", async () => {
        const c = await host.up("Community", community("quota"));
        const before = fake.calls("CommunityService.Get").length;
        fake.faults.refuse.set("CommunityService.Get", { code: 8, message: "quota exceeded: requests per second" });
        try {
            await expect(host.read("Community", c.id, c.outs)).rejects.toThrow(/RESOURCE_EXHAUSTED: quota exceeded: requests per second \(CommunityService\.Get, request id fake-req-\d+, 5 attempts\)/);
        } finally {
            fake.faults.refuse.delete("CommunityService.Get");
        }
        expect(fake.calls("CommunityService.Get").length - before).toBe(DEFAULT_TUNING.attempts);
    }, 30_000);
});
