// The same control plane served over HTTP for a team: one JSON endpoint per operation, a bearer token per
// person (mapped to the principal it acts as), platform error codes as HTTP statuses.
//
// It faces a network, so a request costs nothing until it has earned it: the route and the bearer token are
// checked from the headers alone, the body is read only up to a limit, clients that trickle bytes are cut off
// by timeouts, and every refusal is a JSON answer the client can read: never a reset connection, never a 500
// for a client's mistake, and the server goes on serving.
import * as http from "http";
import * as crypto from "crypto";
import type { Socket } from "net";
import { ErrorCode, isPlatformError, PlatformError, showValue } from "../model/errors";
import {
    CreateRequest, DeleteRequest, GetRequestSchema, IdentityRequestSchema, ListRequest, ListVersionsRequestSchema, LookupRequestSchema, Operation, OPERATIONS,
    parseRequest, Principal, UpdateRequest,
} from "../model/contract";
import { ControlPlaneService } from "./service";
import { whenFree } from "./store";

export interface ServerLimits {
    /** Largest request body in bytes. A request carries one object's spec; 1 MiB is far above any real one. */
    readonly maxBodyBytes: number;
    /** Time to receive a request's headers: a client sending them a byte at a time must not hold a connection. */
    readonly headersTimeoutMs: number;
    /** Time to receive the whole request, body included; at least headersTimeoutMs. Bounds the total, so a
     *  client trickling the body just fast enough to never look idle is cut off too. */
    readonly requestTimeoutMs: number;
    /** How long an idle kept-alive connection stays open. Above the 4 s that Node's fetch keeps idle sockets,
     *  so the client gives up a connection before the server closes it under a request being sent. */
    readonly keepAliveTimeoutMs: number;
    /** After refusing a request whose body is still arriving, how long to read and discard it before closing. */
    readonly drainMs: number;
    /** Deepest nesting of arrays and objects in a body: the service walks specs recursively. */
    readonly maxDepth: number;
}

/** Production limits; tests pass smaller ones to createServer. */
export const DEFAULT_LIMITS: ServerLimits = {
    maxBodyBytes: 1 << 20,
    headersTimeoutMs: 10_000,
    // 1 MiB in 30 s needs about 35 KB/s.
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    drainMs: 5_000,
    maxDepth: 64,
};

/**
 * A remote platform's pace, for benchmarks and tests only (never set by `npm run serve`): every request waits
 * `callMs` before it is served, and a create, update or delete `mutationMs` more, as a real platform's calls and
 * long-running operations take time. Requests wait side by side, as on a real platform.
 */
export interface SimulatedLatency {
    readonly callMs: number;
    readonly mutationMs: number;
}

const MUTATIONS: ReadonlySet<Operation> = new Set(["create", "update", "delete"]);

/** Parses `token=subject,token2=subject2` (MLPLATFORM_SERVER_TOKENS). */
export function parseTokens(text: string): Map<string, Principal> {
    const tokens = new Map<string, Principal>();
    for (const pair of text.split(",").map((s) => s.trim()).filter(Boolean)) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new PlatformError("INVALID_ARGUMENT", `server token entry must be <token>=<subject>, got an entry without "=". Example: s3cr3t=userAccount:alice`);
        tokens.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return tokens;
}

function principalFor(tokens: Map<string, Principal>, header: string | undefined): Principal {
    const token = header?.startsWith("Bearer ") ? header.slice(7) : "";
    for (const [known, principal] of tokens) {
        const a = Buffer.from(known), b = Buffer.from(token);
        if (a.length === b.length && crypto.timingSafeEqual(a, b)) return principal;
    }
    throw new PlatformError("UNAUTHENTICATED", "missing or unknown bearer token. Set mlplatform:token to a token the server was started with.");
}

/**
 * A refusal whose HTTP status is not its code's own (413, 415, 405, 408...). The code is what the client acts
 * on, so a route the server does not have answers 404 with INVALID_ARGUMENT, never NOT_FOUND: the provider
 * reads NOT_FOUND as "the object is gone" and would drop it from the stack after a wrong endpoint path.
 */
class Refusal extends PlatformError {
    constructor(readonly status: number, code: ErrorCode, message: string, readonly headers: http.OutgoingHttpHeaders = {}) {
        super(code, message);
    }
    override get httpStatus(): number {
        return this.status;
    }
}

const mib = (bytes: number) => `${+(bytes / (1 << 20)).toFixed(2)} MiB`;
function tooLarge(size: string, max: number): Refusal {
    return new Refusal(413, "RESOURCE_EXHAUSTED", `request body of ${size} is over the server's limit of ${max} bytes (${mib(max)}). `
        + "Keep each object's spec small: put large content in storage and reference it.");
}

/** Route and headers, checked before a byte of the body is read. */
function operationOf(req: http.IncomingMessage): Operation {
    const path = (req.url ?? "").split("?")[0];
    const op = path.replace(/^\/v1\//, "") as Operation;
    const usage = `Use POST /v1/<${OPERATIONS.join("|")}>, and set mlplatform:endpoint to the server's root URL.`;
    if (!OPERATIONS.includes(op)) throw new Refusal(404, "INVALID_ARGUMENT", `no operation at ${showValue(path)} on this server. ${usage}`);
    if (req.method !== "POST") throw new Refusal(405, "INVALID_ARGUMENT", `${showValue(req.method)} is not allowed on ${path}. ${usage}`, { allow: "POST" });
    return op;
}

/** A body must be declared JSON (in UTF-8): a form or text post, which a browser sends cross-site without asking, is refused. */
function checkContentType(req: http.IncomingMessage): void {
    const hasBody = (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") || req.headers["transfer-encoding"] !== undefined;
    const type = req.headers["content-type"];
    if (!hasBody && type === undefined) return;
    const [media, ...params] = (type ?? "").split(";").map((s) => s.trim().toLowerCase());
    const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replace(/"/g, "");
    if (media !== "application/json" || (charset !== undefined && charset !== "utf-8")) {
        throw new Refusal(415, "INVALID_ARGUMENT", `content-type must be application/json (in UTF-8), got ${type === undefined ? "none" : showValue(type)}. Send the body as JSON with the header Content-Type: application/json.`);
    }
}

const CLOSED = new Error("the request was closed before its body was complete");

/** The body, up to `max` bytes; refuses a larger one as soon as it passes the limit, without keeping the rest. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            if (size > max) return; // refused already: the rest is being discarded
            size += chunk.length;
            if (size > max) reject(tooLarge(`more than ${max} bytes`, max));
            else chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks)));
        // The client went away (or a timeout cut it off): there is no one to answer.
        req.on("close", () => reject(CLOSED));
    });
}

/** Deepest nesting of arrays and objects in JSON text, counted outside strings. */
function depthOf(text: string): number {
    let depth = 0, deepest = 0, inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") deepest = Math.max(deepest, ++depth);
        else if (c === "}" || c === "]") depth--;
    }
    return deepest;
}

function parseBody(bytes: Buffer, maxDepth: number): Record<string, unknown> {
    if (bytes.length === 0) return {};
    const invalid = (message: string) => new PlatformError("INVALID_ARGUMENT", message);
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw invalid("request body is not valid UTF-8. Send the JSON encoded in UTF-8.");
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (e) {
        throw invalid(`request body is not JSON (${(e as Error).message}). Send a JSON object, e.g. {"kind":"Organization","id":"..."}.`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw invalid(`request body must be a JSON object, got ${showValue(value)}. Send e.g. {"kind":"Organization","id":"..."}.`);
    }
    const depth = depthOf(text);
    if (depth > maxDepth) throw invalid(`request body nests arrays and objects ${depth} levels deep, over the limit of ${maxDepth}. Flatten the spec.`);
    return value as Record<string, unknown>;
}

/**
 * The service parses every request with the API contract (model/contract.ts), served or in-process alike, so the
 * body goes to it as it came: one parse, one wording of every refusal.
 */
function dispatch(service: ControlPlaneService, principal: Principal, op: Operation, body: Record<string, unknown>): unknown {
    switch (op) {
        case "create": return service.create(principal, body as CreateRequest);
        case "update": return service.update(principal, body as UpdateRequest);
        case "delete": service.delete(principal, body as DeleteRequest); return {};
        case "list": return service.list(principal, body as ListRequest);
        // These take their fields one by one: the body is parsed here, so an unknown field is refused, not dropped.
        case "get": {
            const { kind, id } = parseRequest(GetRequestSchema, body);
            return service.get(principal, kind, id);
        }
        case "lookup": {
            const { kind, spec } = parseRequest(LookupRequestSchema, body);
            return service.lookup(principal, kind, spec) ?? null;
        }
        case "listVersions": return service.listVersions(principal, parseRequest(ListVersionsRequestSchema, body).id);
        case "identity": {
            parseRequest(IdentityRequestSchema, body);
            return { ...service.identity(), principal };
        }
    }
}

export function createServer(service: ControlPlaneService, tokens: Map<string, Principal>, options: Partial<ServerLimits> & { readonly latency?: SimulatedLatency } = {}): http.Server {
    const { latency, ...given } = options;
    const limits: ServerLimits = { ...DEFAULT_LIMITS, ...given };
    /** Sockets whose current response has started: a timeout on them can no longer be answered. */
    const answering = new WeakSet<Socket>();

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const socket = req.socket;
        const answer = (status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}) => {
            // Nothing to do once an answer has started, or when clientError has answered on the socket itself.
            if (res.headersSent || !socket.writable) return;
            answering.add(socket);
            res.on("close", () => answering.delete(socket));
            const text = JSON.stringify(value);
            const base = { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers };
            if (req.complete) return void res.writeHead(status, base).end(text);
            // Refused before the body was read. Closing a socket with unread data makes the kernel reset the
            // connection, and the client would see ECONNRESET instead of this answer. So: the whole answer now
            // (its length is known, the client can read it at once), then the rest of the body read and
            // discarded, up to drainMs; only then the end of the response, which closes the connection.
            res.writeHead(status, { ...base, connection: "close" }).write(text);
            let ended = false;
            const end = () => {
                if (ended) return;
                ended = true;
                clearTimeout(timer);
                res.end();
            };
            const timer = setTimeout(end, limits.drainMs);
            req.on("end", end).on("close", end).resume();
        };
        try {
            const op = operationOf(req);
            // Who is asking, before anything is read: an unknown client cannot make the server buffer a body.
            const principal = principalFor(tokens, req.headers.authorization);
            checkContentType(req);
            const declared = Number(req.headers["content-length"] ?? 0);
            if (declared > limits.maxBodyBytes) throw tooLarge(`${declared} bytes (${mib(declared)})`, limits.maxBodyBytes);
            // A client that asked first (Expect: 100-continue, as curl does for large bodies) sends the body now.
            if (/100-continue/i.test(req.headers.expect ?? "")) res.writeContinue();
            const body = parseBody(await readBody(req, limits.maxBodyBytes), limits.maxDepth);
            if (latency) await new Promise((resolve) => setTimeout(resolve, latency.callMs + (MUTATIONS.has(op) ? latency.mutationMs : 0)));
            answer(200, await whenFree(() => dispatch(service, principal, op, body)));
        } catch (e) {
            if (isPlatformError(e)) answer(e.httpStatus, { error: e.toJSON() }, e instanceof Refusal ? e.headers : {});
            else if (e !== CLOSED) {
                console.error(e);
                answer(500, { error: { code: "INTERNAL", message: "internal error; see the server log", failures: [] } });
            }
        }
    }

    const server = http.createServer({
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node checks both timeouts only this often (30 s by default): often enough that they fire near their value.
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs / 4),
    }, (req, res) => void handle(req, res));
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    // With this listener Node leaves `Expect: 100-continue` to us: handle() sends the 100 once the headers pass.
    server.on("checkContinue", (req, res) => void handle(req, res));
    // Requests Node refuses before they reach handle(): too slow, malformed, headers too large. The answer is
    // written on the socket (there is no response object) as the same JSON error, when nothing was sent yet.
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
        if (!socket.writable || answering.has(socket) || err.code === "ECONNRESET" || err.code === "EPIPE") return void socket.destroy();
        const [status, code, message]: [number, ErrorCode, string] =
            err.code === "ERR_HTTP_REQUEST_TIMEOUT"
                ? [408, "UNAVAILABLE", `request not received in time: the server waits ${limits.headersTimeoutMs} ms for the headers and ${limits.requestTimeoutMs} ms for the whole request. Send it without pauses, or check the network between client and server.`]
                : err.code === "HPE_HEADER_OVERFLOW"
                    ? [431, "RESOURCE_EXHAUSTED", `request headers are over the server's limit of ${http.maxHeaderSize} bytes. Send fewer or shorter headers.`]
                    // The parser's code only: its message may quote the raw request, Authorization header included.
                    : [400, "INVALID_ARGUMENT", `malformed HTTP request (${err.code ?? "parse error"}). Send an HTTP/1.1 POST with a JSON body, as the provider's client does.`];
        const text = JSON.stringify({ error: { code, message, failures: [] } });
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
        // Ended from our side; the client gets drainMs to read the answer and close its own.
        setTimeout(() => socket.destroy(), limits.drainMs).unref();
    });
    return server;
}
