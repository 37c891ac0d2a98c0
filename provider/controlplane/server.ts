// The same control plane served over HTTP for a team: one JSON endpoint per operation, a bearer token per
// person (mapped to the principal it acts as), platform error codes as HTTP statuses.
import * as http from "http";
import * as crypto from "crypto";
import { isPlatformError, PlatformError } from "../model/errors";
import { isKindName } from "../model/kinds";
import { ControlPlaneService, Principal } from "./service";

export type Operation = "create" | "get" | "lookup" | "update" | "delete" | "list" | "listVersions";
const OPERATIONS: readonly Operation[] = ["create", "get", "lookup", "update", "delete", "list", "listVersions"];
const MAX_BODY = 1 << 20;

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

function dispatch(service: ControlPlaneService, principal: Principal, op: Operation, body: any): unknown {
    const kind = body?.kind;
    if (op !== "listVersions" && !isKindName(kind)) throw new PlatformError("INVALID_ARGUMENT", `kind ${JSON.stringify(kind)} is not a kind this platform knows.`);
    switch (op) {
        case "create": return service.create(principal, body);
        case "get": return service.get(principal, kind, String(body.id));
        case "lookup": return service.lookup(principal, kind, body.spec ?? {}) ?? null;
        case "update": return service.update(principal, body);
        case "delete": service.delete(principal, kind, String(body.id)); return {};
        case "list": return service.list(principal, body);
        case "listVersions": return service.listVersions(principal, String(body.id));
    }
}

export function createServer(service: ControlPlaneService, tokens: Map<string, Principal>): http.Server {
    return http.createServer((req, res) => {
        const send = (status: number, value: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(value));
        };
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) req.destroy();
            else chunks.push(c);
        });
        req.on("end", () => {
            try {
                const op = (req.url ?? "").replace(/^\/v1\//, "") as Operation;
                if (req.method !== "POST" || !OPERATIONS.includes(op)) throw new PlatformError("NOT_FOUND", `no operation ${req.method} ${req.url}. Use POST /v1/<${OPERATIONS.join("|")}>.`);
                const principal = principalFor(tokens, req.headers.authorization);
                let body: unknown;
                try {
                    body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
                } catch {
                    throw new PlatformError("INVALID_ARGUMENT", "request body is not JSON.");
                }
                send(200, dispatch(service, principal, op, body));
            } catch (e) {
                if (isPlatformError(e)) send(e.httpStatus, { error: e.toJSON() });
                else send(500, { error: { code: "INTERNAL", message: "internal error; see the server log" } }), console.error(e);
            }
        });
    });
}
