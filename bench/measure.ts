// Small measuring helpers: wall time, and peak memory of processes found by their command line.
import * as fs from "fs";

export function seconds<T>(work: () => T): { result: T; seconds: number } {
    const start = process.hrtime.bigint();
    const result = work();
    return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Peak resident memory (VmHWM) in MB of every live process whose command line contains `marker`. */
function peakOf(marker: string): number {
    let peak = 0;
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
            if (!cmdline.includes(marker)) continue;
            const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
            if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
            // the process ended between listing and reading
        }
    }
    return peak;
}

/** Samples the peak memory of processes by marker until stopped (a process's VmHWM is its own peak). */
export function memorySampler(markers: Record<string, string>, everyMs = 100) {
    const peaks: Record<string, number> = Object.fromEntries(Object.keys(markers).map((k) => [k, 0]));
    const timer = setInterval(() => {
        for (const [name, marker] of Object.entries(markers)) peaks[name] = Math.max(peaks[name], peakOf(marker));
    }, everyMs);
    return { stop: () => (clearInterval(timer), peaks) };
}
