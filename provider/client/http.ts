// A client for the control plane served over HTTP (provider/controlplane/server.ts).
import { PlatformError, ERROR_CODES, ErrorCode } from "../model/errors";
import { ControlPlaneClient } from "./client";
import { HttpConfig } from "./config";

export function httpClient(config: HttpConfig): ControlPlaneClient {
    const call = async (op: string, body: unknown): Promise<any> => {
        let res: Response;
        try {
            res = await fetch(new URL(`v1/${op}`, config.endpoint.endsWith("/") ? config.endpoint : `${config.endpoint}/`), {
                method: "POST",
                headers: { "content-type": "application/json", authorization: `Bearer ${config.token}` },
                body: JSON.stringify(body),
            });
        } catch (e) {
            throw new PlatformError("UNAVAILABLE", `cannot reach the control plane at ${config.endpoint} (${(e as Error).message}). Check mlplatform:endpoint and that the server is running.`);
        }
        const payload: any = await res.json().catch(() => ({}));
        if (!res.ok) {
            const code: ErrorCode = payload?.error?.code in ERROR_CODES ? payload.error.code : "INTERNAL";
            throw new PlatformError(code, payload?.error?.message ?? `HTTP ${res.status} from ${config.endpoint}`, payload?.error?.failures ?? []);
        }
        return payload;
    };
    return {
        principal: "(server-assigned)",
        create: (req) => call("create", req),
        get: (kind, id) => call("get", { kind, id }),
        lookup: async (kind, spec) => (await call("lookup", { kind, spec })) ?? undefined,
        update: (req) => call("update", req),
        delete: async (kind, id) => void (await call("delete", { kind, id })),
        list: (req) => call("list", req),
        listVersions: (id) => call("listVersions", { id }),
    };
}
