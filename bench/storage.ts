// One control-plane operation against the raw cost of one database write on the same file and pragmas.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SecretBox } from "../provider/controlplane/crypto";
import { ControlPlaneService } from "../provider/controlplane/service";
import { openDatabase } from "../provider/controlplane/store";
import { seconds } from "./measure";

export interface StorageFigures {
    operations: number;
    rawWriteMicros: number;
    createMicros: number;
    /** A create as the provider sends it: with an idempotency key, adopting an identical object. */
    providerCreateMicros: number;
    updateMicros: number;
    getMicros: number;
    deleteMicros: number;
    /**
     * Pages each write adds to the write-ahead log, counted with automatic checkpoints off: what a write costs the
     * storage, free of the machine's timing noise (a write's time follows its pages).
     */
    walPages: { rawWrite: number; create: number; providerCreate: number; update: number; delete: number };
}

export function benchStorage(operations: number): StorageFigures {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-bench-"));
    const db = openDatabase(path.join(dir, "platform.db"));
    const svc = new ControlPlaneService(db, new SecretBox(crypto.randomBytes(32)));
    const p = "userAccount:owner";
    const org = svc.create(p, { kind: "Organization", spec: { name: "bench", displayName: "Bench", defaultZone: "ru-central1-a" } });
    const acc = svc.create(p, { kind: "BillingAccount", spec: { organizationId: org.id, name: "main", status: "active" } });
    const com = svc.create(p, { kind: "Community", spec: { organizationId: org.id, name: "c", zone: "ru-central1-a" } });
    svc.create(p, { kind: "BillingLink", spec: { communityId: com.id, billingAccountId: acc.id } });
    const prj = svc.create(p, { kind: "Project", spec: { communityId: com.id, name: "p" } });

    // The floor: one row with a JSON spec inserted in its own IMMEDIATE transaction, as every mutation is.
    db.exec("CREATE TABLE raw_writes (id TEXT PRIMARY KEY, spec TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO raw_writes (id, spec) VALUES (?, ?)");
    const rawOne = db.transaction((i: number) => insert.run(`raw-${i}`, JSON.stringify({ projectId: prj.id, name: `d-${i}`, sizeGb: 1 })));

    // Rounds that take turns, so that a slow moment of the machine (or a WAL checkpoint) falls on every kind of
    // operation alike; each figure is the median of its rounds.
    const rounds = 5;
    const perRound = Math.ceil(operations / rounds);
    const samples: Record<Exclude<keyof StorageFigures, "operations" | "walPages">, number[]> = {
        rawWriteMicros: [], createMicros: [], providerCreateMicros: [], updateMicros: [], getMicros: [], deleteMicros: [],
    };
    const time = (figure: keyof typeof samples, work: () => void) => samples[figure].push((seconds(work).seconds / perRound) * 1e6);
    for (let round = 0; round < rounds; round++) {
        const n = (i: number) => round * perRound + i;
        const ids: string[] = [];
        time("rawWriteMicros", () => { for (let i = 0; i < perRound; i++) rawOne.immediate(n(i)); });
        time("createMicros", () => {
            for (let i = 0; i < perRound; i++) ids.push(svc.create(p, { kind: "Dataset", spec: { projectId: prj.id, name: `d-${n(i)}`, sizeGb: 1 } }).id);
        });
        time("providerCreateMicros", () => {
            for (let i = 0; i < perRound; i++) {
                svc.create(p, { kind: "Dataset", spec: { projectId: prj.id, name: `k-${n(i)}`, sizeGb: 1 }, idempotencyKey: `key-${n(i)}`, adoptIdentical: true });
            }
        });
        time("updateMicros", () => { for (const id of ids) svc.update(p, { kind: "Dataset", id, patch: { description: "changed" } }); });
        time("getMicros", () => { for (const id of ids) svc.get(p, "Dataset", id); });
        time("deleteMicros", () => { for (const id of ids) svc.delete(p, { kind: "Dataset", id }); });
    }
    // The datasets the pages pass creates are the ones it then updates and deletes (the kinds run in this order).
    const created: string[] = [];
    const walPages = countWalPages(db, path.join(dir, "platform.db"), {
        rawWrite: (i) => rawOne.immediate(1e7 + i),
        create: (i) => created.push(svc.create(p, { kind: "Dataset", spec: { projectId: prj.id, name: `w-${i}`, sizeGb: 1 } }).id),
        providerCreate: (i) => svc.create(p, { kind: "Dataset", spec: { projectId: prj.id, name: `wk-${i}`, sizeGb: 1 }, idempotencyKey: `wkey-${i}`, adoptIdentical: true }),
        update: (i) => svc.update(p, { kind: "Dataset", id: created[i], patch: { description: "changed" } }),
        delete: (i) => svc.delete(p, { kind: "Dataset", id: created[i] }),
    });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
        operations: perRound * rounds,
        ...(Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)])) as Omit<StorageFigures, "operations" | "walPages">),
        walPages,
    };
}

/** WAL pages per operation of each kind: 200 of each with automatic checkpoints off, from an emptied log. */
function countWalPages<K extends string>(db: ReturnType<typeof openDatabase>, file: string, work: Record<K, (i: number) => void>): Record<K, number> {
    const perOp = 200;
    const frameBytes = (db.pragma("page_size", { simple: true }) as number) + 24; // each WAL frame: a page and its header
    const autocheckpoint = db.pragma("wal_autocheckpoint", { simple: true }) as number;
    db.pragma("wal_autocheckpoint = 0");
    try {
        const pages = {} as Record<K, number>;
        for (const [kind, op] of Object.entries(work) as [K, (i: number) => void][]) {
            db.pragma("wal_checkpoint(TRUNCATE)");
            const before = fs.statSync(`${file}-wal`).size;
            for (let i = 0; i < perOp; i++) op(i);
            const walHeader = before === 0 ? 32 : 0; // a truncated log starts again with its 32-byte header
            pages[kind] = (fs.statSync(`${file}-wal`).size - before - walHeader) / frameBytes / perOp;
        }
        return pages;
    } finally {
        db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    }
}
