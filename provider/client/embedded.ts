// The embedded control plane: a database file opened at call time, nothing to start. One handle per file
// per process; it lives in this module (never in a serialized provider object). The control plane's modules, and
// with them the native better-sqlite3, are loaded on first use: stacks on another backend never load them.
import * as path from "path";
import type Database from "better-sqlite3";
import { DATABASE_FILE, KEY_FILE } from "../model/data-folder";
import type { ControlPlaneService } from "../controlplane/service";
import { ControlPlaneClient } from "./client";
import { EmbeddedConfig, locationOf } from "./config";
import { isMissingPackage, missingPackage } from "./optional-package";

/** The modules the embedded backend runs, or why they cannot load (better-sqlite3 is an optional dependency). */
async function controlPlane() {
    try {
        const [crypto, service, store] = await Promise.all([import("../controlplane/crypto"), import("../controlplane/service"), import("../controlplane/store")]);
        return { crypto, service, store };
    } catch (e) {
        if (isMissingPackage(e, "better-sqlite3")) {
            throw missingPackage("embedded", "better-sqlite3", "an optional dependency", "point the provider at a served control plane or DataSphere (mlplatform:backend)");
        }
        throw e;
    }
}

interface Opened {
    readonly db: Database.Database;
    readonly service: ControlPlaneService;
    readonly whenFree: typeof import("../controlplane/store").whenFree;
}
/** Each database this process opened, by file and key; a failed opening is forgotten, so the next call tries again. */
const opened = new Map<string, Promise<Opened>>();

function open(config: EmbeddedConfig): Promise<Opened> {
    const file = path.join(config.dataDir, DATABASE_FILE);
    const cacheKey = `${file}\n${config.encryptionKey ?? ""}`;
    let entry = opened.get(cacheKey);
    if (!entry) {
        entry = (async () => {
            const { crypto, service, store } = await controlPlane();
            const key = config.encryptionKey ? crypto.parseKey(config.encryptionKey, "encryptionKey") : crypto.loadOrCreateKeyFile(path.join(config.dataDir, KEY_FILE));
            const db = store.openDatabase(file);
            return { db, service: new service.ControlPlaneService(db, new crypto.SecretBox(key)), whenFree: store.whenFree };
        })();
        entry.catch(() => opened.delete(cacheKey));
        opened.set(cacheKey, entry);
    }
    return entry;
}

/** Closes every database this process opened (tests, and processes that want a clean exit). */
export async function closeAll(): Promise<void> {
    const entries = [...opened.values()];
    opened.clear();
    for (const entry of await Promise.allSettled(entries)) if (entry.status === "fulfilled") entry.value.db.close();
}

export function embeddedClient(config: EmbeddedConfig): ControlPlaneClient {
    const p = config.principal;
    // The service is synchronous (one SQLite transaction per call); the interface is async like a remote one, and
    // a call that meets another process's write lock waits for it without blocking the host's event loop. The
    // database opens on the first call, so a problem opening it fails that call.
    const call = async <T>(work: (service: ControlPlaneService) => T): Promise<T> => {
        const { service, whenFree } = await open(config);
        return whenFree(() => work(service));
    };
    return {
        principal: p,
        location: locationOf(config),
        identity: () => call((service) => ({ ...service.identity(), principal: p })),
        create: (req) => call((service) => service.create(p, req)),
        get: (kind, id) => call((service) => service.get(p, kind, id)),
        update: (req) => call((service) => service.update(p, req)),
        delete: (req) => call((service) => service.delete(p, req)),
        list: (req) => call((service) => service.list(p, req)),
    };
}
