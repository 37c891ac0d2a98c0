// Runs the Pulumi program the way the nodejs language host does: @pulumi/pulumi/cmd/run (resolved from the
// project, so the program's own SDK runs it) pointed at the engine's gRPC address.

import type { ChildProcess } from "child_process";
import * as readline from "readline";
import type { Display } from "./display";
import { exitCode, spawnNode } from "./processes";
import type { Project } from "./project";

interface ProgramRun {
    project: Project;
    stack: string;
    config: Record<string, string>;
    /** The keys of `config` whose values are secret: the program's `Config.getSecret` and `isSecret` see them so. */
    secretConfigKeys: readonly string[];
    engineAddress: string;
    dryRun: boolean;
    /** `--parallel`, passed on as the nodejs language host does (the SDK serializes registrations when it is 1). */
    parallel: number;
    /** Where the program's console output goes when it is not passed straight through (--json keeps stdout for the plan). */
    printer: Pick<Display, "capturesProgramOutput" | "programOutput">;
}

/** How long the program's captured output may trail its exit (a grandchild that kept the pipe open is not waited for). */
const OUTPUT_GRACE_MS = 1000;

/** The program's captured output, read to its end, per child. */
const outputDone = new WeakMap<ChildProcess, Promise<void>>();

/** cmd/run's exit code when the program failed and the error was already logged through the engine. */
export const EXIT_ERROR_ALREADY_LOGGED = 32;

export function startProgram(run: ProgramRun): ChildProcess {
    const { project } = run;
    let runScript: string;
    try {
        runScript = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.mainDir] });
    } catch {
        throw new Error(`cannot find @pulumi/pulumi from ${project.mainDir}; install it there (npm install @pulumi/pulumi)`);
    }
    const args = [
        ...project.nodeArgs,
        runScript,
        `--monitor=${run.engineAddress}`,
        `--engine=${run.engineAddress}`,
        // The organization of a stack on a local (DIY) backend is always "organization".
        "--organization=organization",
        `--project=${project.name}`,
        `--stack=${run.stack}`,
        `--root-directory=${project.dir}`,
        `--pwd=${project.mainDir}`,
        `--parallel=${run.parallel}`,
        ...(run.dryRun ? ["--dry-run"] : []),
        project.program,
    ];
    // Works around a Node.js 20.20 bug that made reporting a program's error take up to a minute (inspect-guard.ts).
    const guard = `--require ${JSON.stringify(require.resolve("./inspect-guard"))}`;
    const child = spawnNode(args, {
        cwd: project.mainDir,
        env: {
            ...process.env,
            NODE_OPTIONS: [process.env.NODE_OPTIONS, guard].filter(Boolean).join(" "),
            PULUMI_CONFIG: JSON.stringify(run.config),
            // As the nodejs language host passes them (main.go execRuntime, constructConfigSecretKeys): a JSON array.
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(run.secretConfigKeys),
            PULUMI_NODEJS_TYPESCRIPT: String(project.typescript),
            ...(project.tsconfig !== undefined ? { PULUMI_NODEJS_TSCONFIG_PATH: project.tsconfig } : {}),
        },
        // The program's own console output goes straight to the terminal, as with the CLI, unless the display takes
        // it (the CLI's --json files it under the diagnostics).
        stdio: ["ignore", run.printer.capturesProgramOutput ? "pipe" : "inherit", "inherit"],
    });
    if (child.stdout) {
        const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
        lines.on("line", (line) => run.printer.programOutput(line));
        outputDone.set(child, new Promise((resolve) => lines.once("close", resolve)));
    }
    return child;
}

/** The program's exit code, once the output it printed before exiting has been handed on too. */
export async function programExit(child: ChildProcess): Promise<number> {
    const code = await exitCode(child);
    const output = outputDone.get(child);
    if (output) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([output, new Promise((resolve) => (timer = setTimeout(resolve, OUTPUT_GRACE_MS)))]);
        clearTimeout(timer);
    }
    return code;
}
