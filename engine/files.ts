// Where a stack's files are (<programDir>/.pulumi-local/<stack>.*), and writing them so that a crash leaves either
// the old or the new content, never a torn one (the state file and its journal, state.ts).

import * as fs from "fs";
import * as path from "path";

const STATE_DIR_NAME = ".pulumi-local";

/** The files of one stack, all in <programDir>/.pulumi-local/. */
export interface StackPaths {
    dir: string;
    stateFile: string;
    lockFile: string;
    keyFile: string;
    journalFile: string;
}

export function stackPaths(programDir: string, stack: string): StackPaths {
    const dir = path.join(programDir, STATE_DIR_NAME);
    return {
        dir,
        stateFile: path.join(dir, `${stack}.json`),
        lockFile: path.join(dir, `${stack}.lock`),
        keyFile: path.join(dir, `${stack}.key`),
        journalFile: path.join(dir, `${stack}.journal`),
    };
}

/** Creates the directory of the stacks' files on first use. */
export function ensureStateDir(dir: string): void {
    if (!fs.existsSync(dir)) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        // The directory holds key files: keep it out of version control wherever the project lives.
        fs.writeFileSync(path.join(dir, ".gitignore"), "*\n");
    }
}

/**
 * Writes a file so that readers see either the old or the new content, even across a crash. Private to the user
 * (0600) unless `mode` says otherwise.
 */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w", mode);
    try {
        writeAll(fd, content);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    // Make the rename itself durable.
    syncDirectory(path.dirname(file));
}

/** fs.writeSync may write less than asked (a full disk, a signal); a torn record must never pass for a whole one. */
export function writeAll(fd: number, text: string): void {
    const bytes = Buffer.from(text, "utf8");
    for (let written = 0; written < bytes.length; ) {
        const n = fs.writeSync(fd, bytes, written, bytes.length - written);
        if (n <= 0) throw new Error(`wrote ${written} of ${bytes.length} bytes`);
        written += n;
    }
}

/** Makes the creation, renaming or removal of a file in `dir` durable. */
export function syncDirectory(dir: string): void {
    let dirFd: number | undefined;
    try {
        dirFd = fs.openSync(dir, "r");
        fs.fsyncSync(dirFd);
    } catch {
        // Some platforms cannot fsync a directory; a rename is still atomic there.
    } finally {
        if (dirFd !== undefined) {
            fs.closeSync(dirFd);
        }
    }
}
