// `npm run serve -- [--port N] [--host ADDR]`: serves the control plane over HTTP for a team.
// Database and key come from the same settings as the embedded mode (MLPLATFORM_DATA_DIR, ...).
import * as path from "path";
import { resolveConfig } from "../client/config";
import { KEY_FILE, DATABASE_FILE } from "../client/embedded";
import { loadOrCreateKeyFile, parseKey, SecretBox } from "./crypto";
import { createServer, parseTokens } from "./server";
import { ControlPlaneService } from "./service";
import { openDatabase } from "./store";

function argument(name: string, fallback: string): string {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

function main(): void {
    const tokens = parseTokens(process.env.MLPLATFORM_SERVER_TOKENS ?? "");
    if (tokens.size === 0) {
        console.error("MLPLATFORM_SERVER_TOKENS is empty. Set it to <token>=<subject>[,...], e.g. alice-token=userAccount:alice");
        process.exit(2);
    }
    const config = resolveConfig({}, { ...process.env, MLPLATFORM_ENDPOINT: undefined }, process.cwd());
    if (config.mode !== "embedded") throw new Error("unreachable: endpoint is ignored when serving");
    const key = config.encryptionKey ? parseKey(config.encryptionKey, "MLPLATFORM_ENCRYPTION_KEY") : loadOrCreateKeyFile(path.join(config.dataDir, KEY_FILE));
    const service = new ControlPlaneService(openDatabase(path.join(config.dataDir, DATABASE_FILE)), new SecretBox(key));
    const port = Number(argument("port", "8470"));
    const host = argument("host", "127.0.0.1");
    createServer(service, tokens).listen(port, host, () => console.log(`mlplatform control plane on http://${host}:${port} (data ${config.dataDir})`));
}

main();
