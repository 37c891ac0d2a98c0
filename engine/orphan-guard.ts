// Preloaded (NODE_OPTIONS --require, processes.ts spawnNode) into every process the engine starts: the program and
// the dynamic provider host.
//
// The engine stops its children whenever it ends (processes.ts), except when it cannot run any code at all: killed
// with SIGKILL, by the OOM killer, or by a crash of Node itself. A provider host left behind then keeps serving, and
// may still be changing objects while the next run starts and works on the same ones; a program left behind keeps
// its memory. So each child watches its parent: once it is no longer the process that started it (a dead parent's
// children are handed to init or a subreaper), it exits.

/** Exit code of a child that outlived the engine. */
const ORPHANED_EXIT_CODE = 70;
const POLL_MS = 200;

const parent = process.ppid;
// Only the engine's own children: processes they start inherit NODE_OPTIONS, and are not the engine's to stop.
if (process.env.PULUMI_LOCAL_ENGINE_PID === String(parent)) {
    const timer = setInterval(() => {
        // `process.ppid` asks the system each time.
        if (process.ppid !== parent) {
            process.exit(ORPHANED_EXIT_CODE);
        }
    }, POLL_MS);
    // Never what keeps a process alive.
    timer.unref();
}
