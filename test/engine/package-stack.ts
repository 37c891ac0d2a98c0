// A stack of a fixture program that uses this package (the real provider, on an embedded control plane in a data
// folder of the test's own), run through the built engine CLI. Shared by the engine tests that run the real package;
// harness.ts's TestStack is the same for the engine's toy provider.

import Database from "better-sqlite3";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLI } from "./harness";

export interface PackageRun {
    status: number | null;
    /** stdout and stderr together, as a person reads them. */
    out: string;
    stdout: string;
}

export interface PackageRunOptions {
    /** Stack config beyond the data folder: `key=value`, each passed with --config. */
    config?: readonly string[];
    /** Another data folder than the stack's own (the provider's `mlplatform:dataDir`). */
    dataDir?: string;
    /** Environment on top of this process's; a variable set to undefined is removed. */
    env?: Record<string, string | undefined>;
}

export class PackageStack {
    readonly name: string;
    /** The stack's own folder for data folders; `dataDir` is in it. */
    readonly root: string;
    readonly dataDir: string;
    private readonly program: string;

    /** `fixture`: a folder under test/engine/fixtures; `prefix`: a word naming the test in stack and folder names. */
    constructor(fixture: string, prefix: string) {
        this.program = path.resolve(__dirname, "fixtures", fixture);
        this.name = `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), `mlp-${prefix}-`));
        this.dataDir = path.join(this.root, "data");
        fs.mkdirSync(this.dataDir);
    }

    /** Runs one engine command, confirmed (`--yes`), and waits for it. */
    run(command: string, options: PackageRunOptions = {}): PackageRun {
        const config = [`mlplatform:dataDir=${options.dataDir ?? this.dataDir}`, ...(options.config ?? [])];
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const [key, value] of Object.entries(options.env ?? {})) {
            if (value === undefined) delete env[key];
            else env[key] = value;
        }
        const args = [CLI, command, this.program, "--stack", this.name, "--yes", ...config.flatMap((c) => ["--config", c])];
        const run = spawnSync(process.execPath, args, { encoding: "utf8", env });
        return { status: run.status, out: `${run.stdout}\n${run.stderr}`, stdout: run.stdout };
    }

    /**
     * Works on the control plane's database as a person outside Pulumi would (a console, another tool): `undefined`
     * when the database was never created. Read-only unless `writable`.
     */
    database<T>(work: (db: Database.Database) => T, options: { dataDir?: string; writable?: boolean } = {}): T | undefined {
        const file = path.join(options.dataDir ?? this.dataDir, "platform.db");
        if (!fs.existsSync(file)) return undefined;
        const db = new Database(file, { readonly: !options.writable });
        try {
            return work(db);
        } finally {
            db.close();
        }
    }

    /** Removes the stack's files next to the program and every data folder of the stack. */
    cleanup(): void {
        for (const suffix of [".json", ".key", ".lock", ".journal"]) {
            fs.rmSync(path.join(this.program, ".pulumi-local", `${this.name}${suffix}`), { force: true });
        }
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
