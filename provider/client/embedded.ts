// The embedded control plane: a database file opened at call time, nothing to start. One handle per file
// per process; it lives in this module (never in a serialized provider object). The control plane's modules, and
// with them the native better-sqlite3, are loaded on first use: stacks on another backend never load them.
import * as path from "path";
import type Database from "better-sqlite3";
import { DATABASE_FILE } from "../model/data-folder";
import { PlatformError } from "../model/errors";
import type { ControlPlaneService } from "../controlplane/service";
import { ControlPlaneClient } from "./client";
import { EmbeddedConfig, locationOf } from "./config";

/** The modules the embedded backend runs, or why they cannot load (better-sqlite3 is an optional dependency). */
function controlPlane() {
    try {
        return {
            crypto: require("../controlplane/crypto") as typeof import("../controlplane/crypto"),
            service: require("../controlplane/service") as typeof import("../controlplane/service"),
            store: require("../controlplane/store") as typeof import("../controlplane/store"),
        };
    } catch (e) {
        const error = e as NodeJS.ErrnoException;
        if (error.code === "MODULE_NOT_FOUND" && error.message.includes("better-sqlite3")) {
            throw new PlatformError("FAILED_PRECONDITION", "the embedded backend needs the better-sqlite3 package, which is not installed (an optional dependency of pulumi-mlplatform). "
                + "Install it in the program's project (npm install better-sqlite3), or point the provider at a served control plane or DataSphere (mlplatform:backend).");
        }
        throw e;
    }
}

interface Opened {
    readonly db: Database.Database;
    readonly service: ControlPlaneService;
    readonly whenFree: typeof import("../controlplane/store").whenFree;
}
const opened = new Map<string, Opened>();

function open(config: EmbeddedConfig): Opened {
    const file = path.join(config.dataDir, DATABASE_FILE);
    const cacheKey = `${file}\n${config.encryptionKey ?? ""}`;
    let entry = opened.get(cacheKey);
    if (!entry) {
        const { crypto, service, store } = controlPlane();
        const key = config.encryptionKey ? crypto.parseKey(config.encryptionKey, "encryptionKey") : crypto.loadOrCreateKeyFile(path.join(config.dataDir, store.KEY_FILE));
        const db = store.openDatabase(file);
        entry = { db, service: new service.ControlPlaneService(db, new crypto.SecretBox(key)), whenFree: store.whenFree };
        opened.set(cacheKey, entry);
    }
    return entry;
}

/** Closes every database this process opened (tests, and processes that want a clean exit). */
export function closeAll(): void {
    for (const { db } of opened.values()) db.close();
    opened.clear();
}

export function embeddedClient(config: EmbeddedConfig): ControlPlaneClient {
    const { service, whenFree } = open(config);
    const p = config.principal;
    // The service is synchronous (one SQLite transaction per call); the interface is async like a remote one, and
    // a call that meets another process's write lock waits for it without blocking the host's event loop.
    return {
        principal: p,
        location: locationOf(config),
        identity: () => whenFree(() => ({ ...service.identity(), principal: p })),
        create: (req) => whenFree(() => service.create(p, req)),
        get: (kind, id) => whenFree(() => service.get(p, kind, id)),
        lookup: (kind, spec) => whenFree(() => service.lookup(p, kind, spec)),
        update: (req) => whenFree(() => service.update(p, req)),
        delete: (req) => whenFree(() => service.delete(p, req)),
        list: (req) => whenFree(() => service.list(p, req)),
        listVersions: (id) => whenFree(() => service.listVersions(p, id)),
    };
}
