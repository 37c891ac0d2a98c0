// A client for the control plane served over HTTP (provider/controlplane/server.ts).
import { PlatformError, ERROR_CODES, ErrorCode, showValue } from "../model/errors";
import { ControlPlaneClient } from "./client";
import { HttpConfig, locationOf } from "./config";

/** How long one call may take, answer included, unless HttpConfig.timeoutMs says otherwise. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export function httpClient(config: HttpConfig): ControlPlaneClient {
    const base = config.endpoint.endsWith("/") ? config.endpoint : `${config.endpoint}/`;
    const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // What we show from elsewhere (a runtime's message, a proxy's page that echoes the request) loses the token:
    // the header value always, the bare token when it is long enough not to match ordinary words by chance.
    const header = `Bearer ${config.token}`;
    const scrub = (text: string) => {
        const out = text.split(header).join("Bearer [token]");
        return config.token.length >= 8 ? out.split(config.token).join("[token]") : out;
    };
    const at = `the control plane at ${config.endpoint}`;

    const call = async (op: string, body: unknown): Promise<any> => {
        let status: number, type: string, text: string;
        try {
            // One deadline for sending, waiting and reading the answer: a server that stops mid-answer fails too.
            const res = await fetch(new URL(`v1/${op}`, base), {
                method: "POST",
                headers: { "content-type": "application/json", authorization: header },
                body: JSON.stringify(body),
                signal: AbortSignal.timeout(timeoutMs),
            });
            status = res.status;
            type = res.headers.get("content-type") ?? "no content-type";
            text = await res.text();
        } catch (e) {
            if ((e as Error).name === "TimeoutError") {
                throw new PlatformError("UNAVAILABLE", `${at} did not answer ${op} within ${timeoutMs / 1000} s. Check that the server is running and not overloaded, and that mlplatform:endpoint points at it.`);
            }
            // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS failure, a bad certificate).
            const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
            const reason = cause?.message || cause?.code || (e as Error).message;
            throw new PlatformError("UNAVAILABLE", `cannot reach ${at} (${scrub(reason)}). Check mlplatform:endpoint and that the server is running.`);
        }
        let payload: any;
        try {
            payload = JSON.parse(text);
        } catch {
            // Something other than the control plane answered: a proxy's error page, a web server at a wrong address.
            throw new PlatformError("UNAVAILABLE", `${at} answered ${op} with HTTP ${status} and a body that is not JSON (${type}): ${showValue(scrub(text))}. `
                + "Check that mlplatform:endpoint is the control plane's root URL and that no proxy in between fails.");
        }
        if (status < 200 || status > 299) {
            const error = payload?.error;
            const known = typeof error?.code === "string" && Object.hasOwn(ERROR_CODES, error.code);
            const code: ErrorCode = known ? error.code : "INTERNAL";
            const message = known && typeof error.message === "string" ? scrub(error.message) : `${at} answered ${op} with HTTP ${status}: ${scrub(text).slice(0, 200)}`;
            throw new PlatformError(code, message, Array.isArray(error?.failures) ? error.failures : []);
        }
        return payload;
    };
    return {
        principal: "(server-assigned)",
        location: locationOf(config),
        identity: () => call("identity", {}),
        create: (req) => call("create", req),
        get: (kind, id) => call("get", { kind, id }),
        update: (req) => call("update", req),
        delete: async (req) => void (await call("delete", req)),
        list: (req) => call("list", req),
    };
}
