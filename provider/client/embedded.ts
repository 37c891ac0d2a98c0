// The embedded control plane: a database file opened at call time, nothing to start. One handle per file
// per process; it lives in this module (never in a serialized provider object).
import * as path from "path";
import type Database from "better-sqlite3";
import { loadOrCreateKeyFile, parseKey, SecretBox } from "../controlplane/crypto";
import { ControlPlaneService } from "../controlplane/service";
import { DATABASE_FILE, KEY_FILE, openDatabase, whenFree } from "../controlplane/store";
import { ControlPlaneClient } from "./client";
import { EmbeddedConfig, locationOf } from "./config";

export { DATABASE_FILE, KEY_FILE };

interface Opened {
    readonly db: Database.Database;
    readonly service: ControlPlaneService;
}
const opened = new Map<string, Opened>();

function open(config: EmbeddedConfig): Opened {
    const file = path.join(config.dataDir, DATABASE_FILE);
    const cacheKey = `${file}\n${config.encryptionKey ?? ""}`;
    let entry = opened.get(cacheKey);
    if (!entry) {
        const key = config.encryptionKey ? parseKey(config.encryptionKey, "encryptionKey") : loadOrCreateKeyFile(path.join(config.dataDir, KEY_FILE));
        const db = openDatabase(file);
        entry = { db, service: new ControlPlaneService(db, new SecretBox(key)) };
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
    const { service } = open(config);
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
