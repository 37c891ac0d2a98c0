// The lock on a stack (<stack>.lock): two runs never work on one stack at the same time. A run that dies without
// releasing it leaves the file behind; the message of the next run says whose it is, whether that process still
// runs, and how to remove it.

import * as fs from "fs";
import * as os from "os";
import { ensureStateDir, type StackPaths } from "./files";

interface LockInfo {
    pid: number;
    host: string;
    command: string;
    startedAt: string;
}

/** An exclusive lock on one stack, held for the length of an up/refresh/destroy. */
export class StackLock {
    private released = false;
    private readonly onExit = () => this.release();

    private constructor(readonly file: string) {
        process.on("exit", this.onExit);
    }

    static acquire(paths: StackPaths, stack: string, command: string): StackLock {
        ensureStateDir(paths.dir);
        const info: LockInfo = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString() };
        try {
            fs.writeFileSync(paths.lockFile, JSON.stringify(info) + "\n", { flag: "wx" });
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
                throw e;
            }
            throw new Error(lockedMessage(paths.lockFile, stack));
        }
        return new StackLock(paths.lockFile);
    }

    release(): void {
        if (this.released) {
            return;
        }
        this.released = true;
        process.removeListener("exit", this.onExit);
        try {
            const info = JSON.parse(fs.readFileSync(this.file, "utf8")) as LockInfo;
            if (info.pid === process.pid) {
                fs.unlinkSync(this.file);
            }
        } catch {
            // Already gone: nothing to release.
        }
    }
}

function lockedMessage(lockFile: string, stack: string): string {
    let holder = "another run";
    let stale = "";
    try {
        const info = JSON.parse(fs.readFileSync(lockFile, "utf8")) as LockInfo;
        holder = `'${info.command}' (process ${info.pid} on ${info.host}, started ${info.startedAt})`;
        if (info.host === os.hostname() && !processAlive(info.pid)) {
            stale = ` Process ${info.pid} is no longer running, so the lock is stale.`;
        }
    } catch {
        // An unreadable lock file is still a lock.
    }
    return (
        `the stack '${stack}' is locked by ${holder}: ${lockFile}.${stale} ` +
        `If no other run is using this stack, remove the lock file and try again: rm ${JSON.stringify(lockFile)}`
    );
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}
