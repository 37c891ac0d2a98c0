// The state store: <programDir>/.pulumi-local/<stack>.json, its journal and its secrets key.
//
// - Every save is atomic (files.ts): a crash leaves either the old or the new file, never a torn one.
// - Secret values never reach the disk in plain text: each is replaced by Pulumi's checkpoint form
//   {[specialSigKey]: specialSecretSig, "ciphertext": "v1:..."} (see secrets.ts for the key).
// - Between whole saves, each step is appended to a journal (<stack>.journal): one line per change to the working
//   snapshot, synced before the step goes on, so a run's writes grow with its steps, not with steps × stack size.
//   Opening the state replays the journal onto the file it was started from; the run's last save folds it in.

import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { ensureStateDir, stackPaths, syncDirectory, writeAll, writeFileAtomic, type StackPaths } from "./files";
import { SecretsManager, PASSPHRASE_ENV, type SecretsConfig } from "./secrets";
import { WorkingSnapshot, type SnapshotChange } from "./snapshot";
import type { PendingOperation, ResourceState, Snapshot } from "./types";
import { isObject, isSecret, mapValue, type JsonValue, type PropertyMap } from "./values";

const STATE_VERSION = 1;

/** What the state file holds once decrypted. */
interface StateFile {
    version: number;
    project: string;
    stack: string;
    /** Changes with every whole save; a journal applies only to the file whose generation it names. */
    generation?: string;
    secrets?: SecretsConfig;
    resources: ResourceState[];
    pendingOperations?: PendingOperation[];
    /** Snapshot.providerConfig, encrypted as a whole: the engine cannot tell which configuration values are secret. */
    providerConfig?: string;
    /**
     * Each distinct serialized dynamic provider, once, by digest. Every resource of a kind carries the same
     * `__provider` text (kilobytes) in its inputs and outputs; the file stores a reference to it instead.
     */
    providers?: Record<string, string>;
}

const PROVIDER_KEY = "__provider";
const PROVIDER_REF = "__providerRef";
const JOURNAL_VERSION = 1;

/** A journal's lines: a header, then provider texts, pending operations and snapshot changes, in order. */
type JournalLine =
    | { journal: number; generation: string }
    | { providers: Record<string, string> }
    | { pending: PendingOperation[] }
    | { providerConfig: string }
    | { secrets: SecretsConfig }
    | { change: SnapshotChange };

class StateError extends Error {}

export class StateStore {
    private constructor(
        readonly paths: StackPaths,
        private readonly project: string,
        private readonly stack: string,
        private readonly secrets: SecretsManager,
        private readonly loaded: Snapshot,
    ) {}

    /** Opens (and decrypts) the state of a stack; a stack that never ran has an empty state. Reads only. */
    static open(programDir: string, project: string, stack: string, env: NodeJS.ProcessEnv = process.env): StateStore {
        const paths = stackPaths(programDir, stack);
        const passphrase = env[PASSPHRASE_ENV];
        if (!fs.existsSync(paths.stateFile)) {
            const secrets = new SecretsManager(undefined, paths.keyFile, passphrase);
            return new StateStore(paths, project, stack, secrets, { resources: [], pendingOperations: [] });
        }
        let file: StateFile;
        try {
            file = JSON.parse(fs.readFileSync(paths.stateFile, "utf8")) as StateFile;
        } catch (e) {
            throw new StateError(`cannot read the state file ${paths.stateFile}: ${(e as Error).message}`);
        }
        if (file.version !== STATE_VERSION || !Array.isArray(file.resources)) {
            throw new StateError(`${paths.stateFile} is not a state file of this engine (version ${STATE_VERSION})`);
        }
        if (file.project !== project) {
            throw new StateError(
                `${paths.stateFile} belongs to project '${file.project}', but Pulumi.yaml names project '${project}'`,
            );
        }
        const secrets = new SecretsManager(file.secrets, paths.keyFile, passphrase);
        const decrypt = (v: JsonValue): JsonValue =>
            mapValue(v, (part) =>
                isObject(part) && part[specialSigKey] === specialSecretSig && typeof part.ciphertext === "string"
                    ? { [specialSigKey]: specialSecretSig, value: JSON.parse(secrets.decrypt(part.ciphertext)) as JsonValue }
                    : undefined,
            );
        const providers = { ...(file.providers ?? {}) };
        const resolve = (m: PropertyMap): PropertyMap => {
            const ref = m[PROVIDER_KEY];
            if (!isObject(ref) || typeof ref[PROVIDER_REF] !== "string") return m;
            const text = providers[ref[PROVIDER_REF] as string];
            if (text === undefined) throw new StateError(`${paths.stateFile} refers to a provider it does not hold (${String(ref[PROVIDER_REF])})`);
            return { ...m, [PROVIDER_KEY]: text };
        };
        const decode = (r: ResourceState): ResourceState => mapResourceValues({ ...r, inputs: resolve(r.inputs), outputs: resolve(r.outputs) }, decrypt);
        const decodePending = (p: PendingOperation): PendingOperation => (p.resource ? { ...p, resource: decode(p.resource) } : p);
        const decodeConfig = (text: string) => JSON.parse(secrets.decrypt(text)) as PropertyMap;
        const saved: Snapshot = {
            resources: file.resources.map(decode),
            pendingOperations: (file.pendingOperations ?? []).map(decodePending),
            ...(file.providerConfig ? { providerConfig: decodeConfig(file.providerConfig) } : {}),
        };
        const lines = readJournal(paths.journalFile, file.generation);
        if (!lines) return new StateStore(paths, project, stack, secrets, saved);
        // The run that wrote the journal started from `saved`: replaying its changes gives what it had done.
        // Values in changes are stored as in the file (secrets encrypted, provider texts by reference).
        const decodeChange = (c: SnapshotChange): SnapshotChange => {
            switch (c.op) {
                case "add":
                case "refresh":
                    return { ...c, entry: decode(c.entry) };
                case "outputs":
                    return { ...c, outputs: decrypt(resolve(c.outputs)) as PropertyMap };
                default:
                    return c;
            }
        };
        const replay = new WorkingSnapshot(saved);
        for (const line of lines) {
            if ("providers" in line) Object.assign(providers, line.providers);
            else if ("secrets" in line) secrets.adopt(line.secrets);
            else if ("pending" in line) replay.pendingOperations = line.pending.map(decodePending);
            else if ("providerConfig" in line) replay.providerConfig = decodeConfig(line.providerConfig);
            else if ("change" in line) replay.apply(decodeChange(line.change));
        }
        return new StateStore(paths, project, stack, secrets, replay.toSnapshot());
    }

    /** The state as it was when opened. */
    get snapshot(): Snapshot {
        return this.loaded;
    }

    /**
     * Each resource's encrypted, serialized form, by entry. Entries are never changed in place (a change makes a
     * new entry), so a save re-encrypts and re-serializes only what changed since the last one: saving after
     * every step stays linear in the work done instead of quadratic in the stack's size.
     */
    private readonly serialized = new WeakMap<ResourceState, string>();
    /** Provider texts by digest, as written to the file's `providers` table. */
    private readonly providers = new Map<string, string>();
    private readonly digests = new Map<string, string>();
    /** Generation of the file last saved; the open journal names it. */
    private generation: string | undefined;
    /** The journal's file descriptor while a run appends to it. */
    private journal: number | undefined;
    /** The pending operations the journal holds last, as JSON. */
    private journaledPending = "[]";
    /** The provider configuration the journal holds last, as JSON. */
    private journaledConfig = "null";
    /** Why nothing more may be appended, once that is so. */
    private journalClosed: string | undefined;

    /** Replaces a `__provider` text by a reference into the `providers` table. */
    private withProviderRef(m: PropertyMap): PropertyMap {
        const text = m[PROVIDER_KEY];
        if (typeof text !== "string") return m;
        let digest = this.digests.get(text);
        if (digest === undefined) {
            digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
            this.digests.set(text, digest);
            this.providers.set(digest, text);
        }
        return { ...m, [PROVIDER_KEY]: { [PROVIDER_REF]: digest } };
    }

    /** Drops what was cached of an entry that was changed in place, so the next save writes it again. */
    changed(entry: ResourceState): void {
        this.serialized.delete(entry);
    }

    /** Encrypts the secrets and writes the whole state atomically; the journal, folded in, goes. */
    save(snapshot: Snapshot): void {
        this.writeWhole(snapshot);
        // Journal positions refer to the state this store loaded, which the file no longer is.
        this.journalClosed = "this state store has written a run's final state; open the state again to record another run";
    }

    private writeWhole(snapshot: Snapshot): void {
        // First: encrypting may create the key file in it.
        ensureStateDir(this.paths.dir);
        const resources = snapshot.resources.map((r) => this.serialize(r));
        const pendingOperations = snapshot.pendingOperations.map((p) => this.serializePending(p));
        const providerConfig = snapshot.providerConfig ? this.secrets.encrypt(JSON.stringify(snapshot.providerConfig)) : undefined;
        this.generation = randomBytes(8).toString("hex");
        const header: Omit<StateFile, "resources"> = {
            version: STATE_VERSION,
            project: this.project,
            stack: this.stack,
            generation: this.generation,
            // After the values: encrypting may have created the key and its configuration.
            secrets: this.secrets.stateConfig,
            ...(pendingOperations.length ? { pendingOperations } : {}),
            ...(providerConfig ? { providerConfig } : {}),
            providers: Object.fromEntries(this.providers),
        };
        // One resource a line: the file stays readable and diffable without pretty-printing every value again.
        const head = JSON.stringify(header);
        writeFileAtomic(this.paths.stateFile, `${head.slice(0, -1)},"resources":[\n${resources.join(",\n")}\n]}\n`);
        // The new file names a new generation, so a journal left behind by a crash right here is ignored on open.
        this.closeJournal();
        fs.rmSync(this.paths.journalFile, { force: true });
    }

    /**
     * Records the changes a run made to a working snapshot of `this.snapshot` since its last call, and its pending
     * operations, durably and in time proportional to the changes. The first call of a run saves the state it
     * started from, which the journal's positions refer to.
     */
    append(changes: readonly SnapshotChange[], pending: readonly PendingOperation[], providerConfig?: Snapshot["providerConfig"]): void {
        if (this.journalClosed) throw new StateError(this.journalClosed);
        if (this.journal === undefined) {
            this.writeWhole(this.loaded);
            this.journal = openJournal(this.paths.journalFile, this.generation!);
            this.journaledPending = JSON.stringify(this.loaded.pendingOperations.map((p) => this.serializePending(p)));
            this.journaledConfig = JSON.stringify(this.loaded.providerConfig ?? null);
        }
        const known = this.providers.size;
        const hadSecrets = this.secrets.stateConfig !== undefined;
        const lines = changes.map((c) => this.changeLine(c));
        const pendingJson = JSON.stringify(pending.map((p) => this.serializePending(p)));
        if (pendingJson !== this.journaledPending) {
            lines.push(`{"pending":${pendingJson}}`);
        }
        const configJson = JSON.stringify(providerConfig ?? null);
        if (configJson !== this.journaledConfig && providerConfig) {
            lines.push(JSON.stringify({ providerConfig: this.secrets.encrypt(configJson) }));
        }
        // What the lines after them need to be read: provider texts they refer to, and the secrets configuration
        // if encrypting them made the stack's first key (the file the journal started from has none).
        if (this.providers.size > known) {
            lines.unshift(JSON.stringify({ providers: Object.fromEntries([...this.providers].slice(known)) }));
        }
        if (!hadSecrets && this.secrets.stateConfig !== undefined) {
            lines.unshift(JSON.stringify({ secrets: this.secrets.stateConfig }));
        }
        if (lines.length === 0) return;
        try {
            writeAll(this.journal, lines.join("\n") + "\n");
            fs.fdatasyncSync(this.journal);
            this.journaledPending = pendingJson;
            if (providerConfig) this.journaledConfig = configJson;
        } catch (e) {
            // What was taken for these lines (changes, provider texts, the key's configuration) is not on disk: a
            // later line could not be read without them. The run stops; its final save writes everything.
            this.journalClosed = `the state journal could not be written (${(e as Error).message}); the run cannot record more steps`;
            throw e;
        }
    }

    private changeLine(c: SnapshotChange): string {
        switch (c.op) {
            case "add":
            case "refresh": {
                // The entry's serialized form is cached: the final save reuses it.
                const { entry, ...rest } = c;
                return `{"change":${JSON.stringify(rest).slice(0, -1)},"entry":${this.serialize(entry)}}}`;
            }
            case "outputs":
                return JSON.stringify({ change: { ...c, outputs: this.withProviderRef(this.encryptValue(c.outputs) as PropertyMap) } });
            default:
                return JSON.stringify({ change: c });
        }
    }

    /** A pending operation as stored: a create's resource encrypted and with its provider by reference, as any entry. */
    private serializePending(p: PendingOperation): PendingOperation {
        return p.resource ? { ...p, resource: JSON.parse(this.serialize(p.resource)) as ResourceState } : p;
    }

    private serialize(r: ResourceState): string {
        let text = this.serialized.get(r);
        if (text === undefined) {
            const encrypted = mapResourceValues(r, (v) => this.encryptValue(v));
            text = JSON.stringify({ ...encrypted, inputs: this.withProviderRef(encrypted.inputs), outputs: this.withProviderRef(encrypted.outputs) });
            this.serialized.set(r, text);
        }
        return text;
    }

    private closeJournal(): void {
        if (this.journal !== undefined) {
            fs.closeSync(this.journal);
            this.journal = undefined;
        }
    }

    private encryptValue(v: JsonValue): JsonValue {
        return mapValue(v, (part) =>
            isSecret(part) ? { [specialSigKey]: specialSecretSig, ciphertext: this.secrets.encrypt(JSON.stringify(part.value)) } : undefined,
        );
    }
}

function mapResourceValues(r: ResourceState, f: (v: JsonValue) => JsonValue): ResourceState {
    return { ...r, inputs: f(r.inputs) as PropertyMap, outputs: f(r.outputs) as PropertyMap };
}

/** Creates a journal for the file of `generation` and makes it, and its name in the directory, durable. */
function openJournal(file: string, generation: string): number {
    const fd = fs.openSync(file, "w", 0o600);
    writeAll(fd, JSON.stringify({ journal: JOURNAL_VERSION, generation }) + "\n");
    fs.fsyncSync(fd);
    syncDirectory(path.dirname(file));
    return fd;
}

/**
 * The journal's lines if it belongs to the state file of `generation`; undefined when there is none, or when it
 * was left behind by a run whose last save had already folded it in. A last line cut short by a crash is a
 * change that was never acknowledged: it is dropped.
 */
function readJournal(file: string, generation: string | undefined): JournalLine[] | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new StateError(`cannot read the state journal ${file}: ${(e as Error).message}`);
    }
    // Every complete line ends with a newline: what follows the last one is empty or a torn line.
    const complete = text.split("\n").slice(0, -1);
    const lines: JournalLine[] = [];
    for (const [i, line] of complete.entries()) {
        try {
            lines.push(JSON.parse(line) as JournalLine);
        } catch {
            throw new StateError(`the state journal ${file} is damaged at line ${i + 1}; restore the stack's state from a backup`);
        }
    }
    const header = lines.shift();
    if (!header || !("journal" in header)) {
        // Cut short before its header was complete: nothing was recorded in it.
        if (complete.length === 0) return undefined;
        throw new StateError(`${file} is not a state journal of this engine`);
    }
    if (header.journal !== JOURNAL_VERSION) throw new StateError(`${file} is a state journal of another version (${header.journal})`);
    return header.generation === generation ? lines : undefined;
}

