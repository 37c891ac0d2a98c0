// Small measuring helpers: wall time, and peak memory of processes found by their command line.
import * as fs from "fs";

export function seconds<T>(work: () => T): { result: T; seconds: number } {
    const start = process.hrtime.bigint();
    const result = work();
    return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/**
 * Peak resident memory (VmHWM) in MB, per marker, of the live processes whose command line contains it: one pass
 * over /proc for all markers (the sampler runs beside the processes it measures, on the same 2 cores).
 */
function peaksOf(markers: Record<string, string>): Record<string, number> {
    const peaks: Record<string, number> = Object.fromEntries(Object.keys(markers).map((k) => [k, 0]));
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
            const names = Object.keys(markers).filter((name) => cmdline.includes(markers[name]));
            if (names.length === 0) continue;
            const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
            if (m) for (const name of names) peaks[name] = Math.max(peaks[name], Number(m[1]) / 1024);
        } catch {
            // the process ended between listing and reading
        }
    }
    return peaks;
}

/** Samples the peak memory of processes by marker until stopped (a process's VmHWM is its own peak). */
export function memorySampler(markers: Record<string, string>, everyMs = 100) {
    const peaks: Record<string, number> = Object.fromEntries(Object.keys(markers).map((k) => [k, 0]));
    const timer = setInterval(() => {
        for (const [name, mb] of Object.entries(peaksOf(markers))) peaks[name] = Math.max(peaks[name], mb);
    }, everyMs);
    return { stop: () => (clearInterval(timer), peaks) };
}

const TICKS_PER_SECOND = 100; // USER_HZ: what /proc reports CPU times in on Linux, whatever the kernel's own HZ

/**
 * CPU seconds (user and system) of every child process this process has waited for, theirs included: a step's
 * engine, its program and its host, once the step is over. On a machine others share, a step's CPU time moves far
 * less than its wall time.
 */
export function childrenCpuSeconds(): number {
    // /proc/self/stat: the fields after the command's closing parenthesis; cutime and cstime are the 14th and 15th.
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(")").pop()!.trim().split(/\s+/);
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}
