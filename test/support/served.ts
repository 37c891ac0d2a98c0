// A control plane served over HTTP on a free loopback port, on a fresh database, for tests that go through the
// server: the real service, the real server, the tokens given.
import * as crypto from "crypto";
import * as fs from "fs";
import type { Server } from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { SecretBox } from "../../provider/controlplane/crypto";
import { createServer, parseTokens } from "../../provider/controlplane/server";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";

export interface Served {
    readonly endpoint: string;
    readonly service: ControlPlaneService;
    close(): Promise<void>;
}

/** `tokens` as MLPLATFORM_SERVER_TOKENS takes them: `token=subject,...`. */
export async function serveControlPlane(tokens: string): Promise<Served> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-served-"));
    const service = new ControlPlaneService(openDatabase(path.join(dir, "platform.db")), new SecretBox(crypto.randomBytes(32)));
    const server: Server = createServer(service, parseTokens(tokens));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        service,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
