// A control plane served over HTTP on a free loopback port, on a fresh database, for tests that go through the
// server (and the benchmark against a platform with latency): the real service, the real server, the tokens given,
// and a count of the requests it answered, by operation, with the most it had in flight at once.
import * as crypto from "crypto";
import * as fs from "fs";
import type { Server } from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { SecretBox } from "../../provider/controlplane/crypto";
import { createServer, parseTokens, SimulatedLatency } from "../../provider/controlplane/server";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";

/** What the server has answered since it started (or since `reset`). */
export interface CallStats {
    /** Requests by operation, from the request path (`create`, `get`, ...). */
    readonly byOperation: Record<string, number>;
    readonly total: number;
    /** The most requests in the server at once, from arrival to the end of the answer. */
    readonly maxInFlight: number;
    /**
     * Seconds from the first request's arrival to the last answer's end (0 without requests): the part of a run the
     * platform's waits bound, without the start of the engine, the program and the provider's host before it.
     */
    readonly callSpanSeconds: number;
}

export interface Served {
    readonly endpoint: string;
    readonly service: ControlPlaneService;
    readonly dataDir: string;
    stats(): CallStats;
    /** Starts the counts again (the in-flight peak from the requests in flight now). */
    reset(): void;
    close(): Promise<void>;
}

/** `tokens` as MLPLATFORM_SERVER_TOKENS takes them: `token=subject,...`; `latency` slows every request down. */
export async function serveControlPlane(tokens: string, options: { latency?: SimulatedLatency } = {}): Promise<Served> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-served-"));
    const db = openDatabase(path.join(dataDir, "platform.db"));
    const service = new ControlPlaneService(db, new SecretBox(crypto.randomBytes(32)));
    const server: Server = createServer(service, parseTokens(tokens), options);
    let byOperation: Record<string, number> = {};
    let total = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let firstArrival: number | undefined;
    let lastEnd: number | undefined;
    server.on("request", (req, res) => {
        const op = (req.url ?? "").replace(/^\/v1\//, "");
        byOperation[op] = (byOperation[op] ?? 0) + 1;
        total++;
        firstArrival ??= performance.now();
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        res.on("close", () => {
            inFlight--;
            lastEnd = performance.now();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        service,
        dataDir,
        stats: () => ({
            byOperation: { ...byOperation }, total, maxInFlight,
            callSpanSeconds: firstArrival !== undefined && lastEnd !== undefined ? (lastEnd - firstArrival) / 1000 : 0,
        }),
        reset: () => {
            byOperation = {};
            total = 0;
            maxInFlight = inFlight;
            firstArrival = lastEnd = undefined;
        },
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => {
                db.close();
                fs.rmSync(dataDir, { recursive: true, force: true });
                resolve();
            });
        }),
    };
}
