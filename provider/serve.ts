// `mlplatform serve [--port N] [--host ADDR]` (provider/cli.ts, which reads the options) and, in this repository,
// `npm run serve -- [--port N] [--host ADDR]`: serves the control plane over HTTP for a team.
// Database and key come from the same settings as the embedded mode (MLPLATFORM_DATA_DIR, ...).
import type { AddressInfo } from "net";
import * as path from "path";
import { resolveConfig } from "./client/config";
import { isPlatformError } from "./model/errors";
import { loadOrCreateKeyFile, parseKey, SecretBox } from "./controlplane/crypto";
import { createServer, parseTokens } from "./controlplane/server";
import { ControlPlaneService } from "./controlplane/service";
import { DATABASE_FILE, KEY_FILE, openDatabase } from "./controlplane/store";

/** Where to listen, as the command line gave it (unchecked text). */
export interface ServeOptions {
    readonly port?: string;
    readonly host?: string;
}

function argument(name: string): string | undefined {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : undefined;
}

/** A setup mistake: said in one line, not a stack trace. */
function fail(message: string): never {
    console.error(message);
    process.exit(2);
}

function listen(options: ServeOptions): void {
    const tokens = parseTokens(process.env.MLPLATFORM_SERVER_TOKENS ?? "");
    if (tokens.size === 0) fail("MLPLATFORM_SERVER_TOKENS is empty. Set it to <token>=<subject>[,...], e.g. alice-token=userAccount:alice");
    const port = Number(options.port ?? "8470");
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number from 0 to 65535, got ${JSON.stringify(options.port)}.`);
    const host = options.host ?? "127.0.0.1";
    const config = resolveConfig({}, { ...process.env, MLPLATFORM_ENDPOINT: undefined }, process.cwd());
    if (config.mode !== "embedded") throw new Error("unreachable: endpoint is ignored when serving");
    const key = config.encryptionKey ? parseKey(config.encryptionKey, "MLPLATFORM_ENCRYPTION_KEY") : loadOrCreateKeyFile(path.join(config.dataDir, KEY_FILE));
    const service = new ControlPlaneService(openDatabase(path.join(config.dataDir, DATABASE_FILE)), new SecretBox(key));
    // Production limits (DEFAULT_LIMITS in server.ts): bodies up to 1 MiB, headers within 10 s, whole requests within 30 s.
    const server = createServer(service, tokens);
    server.on("error", (e: NodeJS.ErrnoException) => fail(`cannot serve on ${host}:${port}: ${e.message}. ${e.code === "EADDRINUSE" ? "Another process uses the port: pick another with --port." : ""}`.trim()));
    server.listen(port, host, () => console.log(`mlplatform control plane on http://${host}:${(server.address() as AddressInfo).port} (data ${config.dataDir})`));
}

/** Serves until the process is stopped; a setup mistake ends the process with one line and exit code 2. */
export function serve(options: ServeOptions): void {
    try {
        listen(options);
    } catch (e) {
        // Invalid settings (MLPLATFORM_*), a bad key, a database that cannot be opened: the platform's message says which and how to fix.
        if (isPlatformError(e)) fail(e.message);
        throw e;
    }
}

if (require.main === module) serve({ port: argument("port"), host: argument("host") });
