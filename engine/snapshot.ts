// The state as it evolves during one operation. It starts as the state on disk ("olds") and records, step by step,
// what became of each old resource and which resources the run registered ("news"), so that the state can be
// written after every step and a run that stops half-way leaves an exact record of what was done.
//
// Every change is also logged as a SnapshotChange that names old resources by their position in the loaded state
// and new ones by their position in the run: the state store appends these to a journal after each step (cheap,
// whatever the stack's size) and replays them through `apply` to rebuild the same snapshot after a crash.

import type { PendingOperation, ResourceState, Snapshot } from "./types";
import { copyValue, type PropertyMap } from "./values";

type Fate = "superseded" | "removed" | "condemned";

/** One change to a working snapshot. `old` is a position in the loaded resources, `index` one among the news. */
export type SnapshotChange =
    | { op: "add"; entry: ResourceState; supersedes?: number }
    | { op: "condemn"; old: number }
    | { op: "remove"; old: number }
    | { op: "refresh"; old: number; entry: ResourceState }
    | { op: "outputs"; index: number; outputs: ResourceState["outputs"] };

export class WorkingSnapshot {
    private readonly olds: ResourceState[];
    private readonly fates = new Map<ResourceState, Fate>();
    private readonly refreshed = new Map<ResourceState, ResourceState>();
    private readonly news: ResourceState[] = [];
    /** Positions, for naming entries in changes. */
    private readonly oldPositions = new Map<ResourceState, number>();
    private readonly newPositions = new Map<ResourceState, number>();
    private changes: SnapshotChange[] = [];
    pendingOperations: PendingOperation[];
    /** The provider's configuration kept for refresh and destroy (Snapshot.providerConfig). */
    providerConfig: PropertyMap | undefined;

    constructor(snapshot: Snapshot) {
        // A private copy: a preview pass mutates its snapshot freely and the next pass must start from the disk state.
        // Strings are immutable, so the copy shares them (structuredClone would copy each provider text again).
        const copy = copyValue(snapshot);
        this.olds = copy.resources;
        this.olds.forEach((o, i) => this.oldPositions.set(o, i));
        this.pendingOperations = copy.pendingOperations;
        this.providerConfig = copy.providerConfig;
    }

    /** The changes since the last call, oldest first. */
    takeChanges(): SnapshotChange[] {
        const taken = this.changes;
        this.changes = [];
        return taken;
    }

    /** Replays a change logged by a snapshot that started from the same loaded state. */
    apply(change: SnapshotChange): void {
        const old = (i: number) => {
            const o = this.olds[i];
            if (!o) throw new Error(`the journal names old resource #${i}, but the state holds ${this.olds.length}`);
            return o;
        };
        switch (change.op) {
            case "add":
                return this.addNew(change.entry, change.supersedes === undefined ? undefined : old(change.supersedes));
            case "condemn":
                return this.condemn(old(change.old));
            case "remove":
                return this.remove(old(change.old));
            case "refresh":
                return this.refresh(old(change.old), change.entry);
            case "outputs": {
                const entry = this.news[change.index];
                if (!entry) throw new Error(`the journal names new resource #${change.index}, but the run registered ${this.news.length}`);
                return this.setOutputs(entry, change.outputs);
            }
        }
    }

    private oldPosition(o: ResourceState): number {
        const i = this.oldPositions.get(o);
        if (i === undefined) throw new Error(`${o.urn} is not a resource of the loaded state`);
        return i;
    }

    /** The old resources as loaded. */
    get oldResources(): readonly ResourceState[] {
        return this.olds;
    }

    /** The live (not pending-delete) old state of a URN that nothing in this run has taken over yet. */
    liveOld(urn: string): ResourceState | undefined {
        return this.olds.find((o) => o.urn === urn && !o.delete && !this.fates.has(o));
    }

    /** Old resources whose fate is still open, plus those condemned to deletion: what a delete phase must handle. */
    remainingOlds(): ResourceState[] {
        return this.olds.filter((o) => {
            const fate = this.fates.get(o);
            return fate === undefined || fate === "condemned";
        });
    }

    isCondemned(r: ResourceState): boolean {
        return r.delete === true || this.fates.get(r) === "condemned";
    }

    /** A resource registered (or read) by this run; it takes the place of `old` if given. */
    addNew(entry: ResourceState, supersedes?: ResourceState): void {
        this.newPositions.set(entry, this.news.length);
        this.news.push(entry);
        if (supersedes) {
            this.fates.set(supersedes, "superseded");
        }
        this.changes.push({ op: "add", entry, ...(supersedes ? { supersedes: this.oldPosition(supersedes) } : {}) });
    }

    /** Outputs registered later for a resource of this run (components do this). */
    setOutputs(entry: ResourceState, outputs: ResourceState["outputs"]): void {
        const index = this.newPositions.get(entry);
        if (index === undefined) throw new Error(`${entry.urn} was not registered by this run`);
        entry.outputs = outputs;
        this.changes.push({ op: "outputs", index, outputs });
    }

    /** `old` was replaced by a new resource created first: it stays, marked for deletion, until it is deleted. */
    condemn(old: ResourceState): void {
        this.fates.set(old, "condemned");
        this.changes.push({ op: "condemn", old: this.oldPosition(old) });
    }

    /** `old` no longer exists (deleted, discarded, or found missing by a refresh). */
    remove(old: ResourceState): void {
        this.fates.set(old, "removed");
        this.changes.push({ op: "remove", old: this.oldPosition(old) });
    }

    /** A refresh changed what is known about `old`; it keeps its place in the state. */
    refresh(old: ResourceState, entry: ResourceState): void {
        this.refreshed.set(old, entry);
        this.changes.push({ op: "refresh", old: this.oldPosition(old), entry });
    }

    /**
     * The resources as they stand now: those of this run first (in the order they were registered, so dependencies
     * come before dependents), then the old resources still open, including condemned ones.
     */
    current(): ResourceState[] {
        const open = this.olds.filter((o) => {
            const fate = this.fates.get(o);
            return fate === undefined || fate === "condemned";
        });
        return [...this.news, ...open.map((o) => this.refreshed.get(o) ?? o)];
    }

    /** The state to write: the current resources, condemned ones marked `delete: true`. */
    toSnapshot(): Snapshot {
        const resources = this.current().map((r) => (this.isCondemned(r) && !r.delete ? { ...r, delete: true } : r));
        return { resources, pendingOperations: this.pendingOperations, ...(this.providerConfig ? { providerConfig: this.providerConfig } : {}) };
    }
}
