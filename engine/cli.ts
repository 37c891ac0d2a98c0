// A CLI-free stand-in for the Pulumi engine, for programs whose resources are all dynamic resources.
//
//   mlplatform-engine <preview|up|refresh|destroy> <programDir> [--stack NAME] [--config key=value]...
//                     [--yes] [--skip-preview] [--preview-only] [--verbose]

import * as readline from "readline";
import { DestroyPass } from "./destroy";
import { Printer } from "./display";
import type { Operation, OperationContext } from "./operation";
import { killAllChildren } from "./processes";
import { loadProject, loadStackConfig } from "./project";
import { RefreshPass } from "./refresh";
import { StackLock, stackPaths, StateStore } from "./state";
import { UpdatePass } from "./update";

const COMMANDS = ["preview", "up", "refresh", "destroy"] as const;
type Command = (typeof COMMANDS)[number];

export interface CliArgs {
    command: Command;
    programDir: string;
    stack: string;
    config: string[];
    yes: boolean;
    skipPreview: boolean;
    previewOnly: boolean;
    verbose: boolean;
}

const USAGE = `usage: mlplatform-engine <preview|up|refresh|destroy> <programDir> [options]

options:
  -s, --stack NAME          stack name (default: dev); state in <programDir>/.pulumi-local/<stack>.json
  -c, --config key=value    set a config value (repeatable); a key without ':' gets the project namespace
  -y, --yes                 apply without asking (required when not on a terminal)
      --skip-preview        do not run a preview before applying
      --preview-only        only show what up/refresh/destroy would do
  -v, --verbose             also show debug messages and the provider host's stderr

environment:
  MLPLATFORM_ENGINE_PASSPHRASE   encrypt the stack's secrets with this passphrase instead of a key file
`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
    const positional: string[] = [];
    const args: Omit<CliArgs, "command" | "programDir"> = {
        stack: "dev",
        config: [],
        yes: false,
        skipPreview: false,
        previewOnly: false,
        verbose: false,
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = (): string => {
            if (inline !== undefined) {
                return inline;
            }
            const next = argv[++i];
            if (next === undefined) {
                throw new UsageError(`${flag} needs a value`);
            }
            return next;
        };
        switch (flag) {
            case "-s":
            case "--stack":
                args.stack = value();
                break;
            case "-c":
            case "--config":
                args.config.push(value());
                break;
            case "-y":
            case "--yes":
                args.yes = true;
                break;
            case "--skip-preview":
                args.skipPreview = true;
                break;
            case "--preview-only":
                args.previewOnly = true;
                break;
            case "-v":
            case "--verbose":
                args.verbose = true;
                break;
            case "-h":
            case "--help":
                throw new UsageError("");
            default:
                if (flag.startsWith("-")) {
                    throw new UsageError(`unknown option ${flag}`);
                }
                positional.push(arg);
        }
    }
    const [command, programDir, ...extra] = positional;
    if (!COMMANDS.includes(command as Command)) {
        throw new UsageError(command ? `unknown command '${command}'` : "missing command");
    }
    if (!programDir || extra.length) {
        throw new UsageError(programDir ? `unexpected argument '${extra[0]}'` : "missing program directory");
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) {
        throw new UsageError(`invalid stack name '${args.stack}': use letters, digits, '-', '_' and '.'`);
    }
    return { command: command as Command, programDir, ...args };
}

export async function main(argv: readonly string[]): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        const message = (e as Error).message;
        process.stderr.write(message ? `error: ${message}\n\n${USAGE}` : USAGE);
        return message ? 2 : 0;
    }
    const printer = new Printer(process.stdout, process.stderr, args.verbose, process.stderr.isTTY === true);
    let lock: StackLock | undefined;
    try {
        const project = loadProject(args.programDir);
        const config = loadStackConfig(project, args.stack, args.config);
        const ctx: OperationContext = { project, stack: args.stack, config, printer };
        if (args.command === "preview") {
            // A preview reads the state and writes nothing, not even a lock.
            const store = StateStore.open(project.dir, project.name, args.stack);
            return (await new UpdatePass(ctx, store, true).run()) ? 0 : 1;
        }
        lock = StackLock.acquire(stackPaths(project.dir, args.stack), args.stack, `${args.command} ${args.stack}`);
        const store = StateStore.open(project.dir, project.name, args.stack);
        const passes: Record<Exclude<Command, "preview">, { kind: string; make: (dryRun: boolean) => Operation }> = {
            up: { kind: "update", make: (dryRun) => new UpdatePass(ctx, store, dryRun) },
            refresh: { kind: "refresh", make: (dryRun) => new RefreshPass(ctx, store, dryRun) },
            destroy: { kind: "destroy", make: (dryRun) => new DestroyPass(ctx, store, dryRun) },
        };
        const { kind, make } = passes[args.command];
        return (await previewThenApply(args, kind, make)) ? 0 : 1;
    } catch (e) {
        printer.note(`error: ${(e as Error).message}`);
        return 1;
    } finally {
        lock?.release();
    }
}

/**
 * As `pulumi up`/`refresh`/`destroy`: a preview first (unless --skip-preview), then a confirmation (unless --yes),
 * then the real thing. Each pass starts from the state on disk.
 */
async function previewThenApply(args: CliArgs, kind: string, make: (dryRun: boolean) => Operation): Promise<boolean> {
    if (!args.skipPreview) {
        if (!(await make(true).run())) {
            return false;
        }
        if (args.previewOnly) {
            return true;
        }
    }
    if (!args.yes && !args.skipPreview) {
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
            process.stderr.write("error: --yes or --skip-preview must be passed in to proceed when running in non-interactive mode\n");
            return false;
        }
        if (!(await confirm(`Do you want to perform this ${kind}? [yes/no] `))) {
            process.stderr.write(`confirmation declined, not proceeding with the ${kind}\n`);
            return false;
        }
    }
    return make(false).run();
}

function confirm(question: string): Promise<boolean> {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    return new Promise((resolve) =>
        rl.question(question, (answer) => {
            rl.close();
            resolve(/^y(es)?$/i.test(answer.trim()));
        }),
    );
}

/**
 * The process's entry point: runs the command line, stops the children on a signal, and exits with the run's code.
 * Called by the `mlplatform-engine` command (bin/) and when this file is run with node.
 */
export function runCommandLine(): void {
    // Ctrl-C or a kill: stop the children; the state already holds every finished step, and an interrupted
    // provider call is recorded as a pending operation. The lock is released by its exit handler.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
            process.stderr.write(`\nreceived ${signal}, stopping; the state holds every completed step\n`);
            killAllChildren();
            process.exit(signal === "SIGINT" ? 130 : 143);
        });
    }
    main(process.argv.slice(2)).then(
        // Exit explicitly: a lingering gRPC channel must not keep the CLI alive.
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`error: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exit(1);
        },
    );
}

if (require.main === module) {
    runCommandLine();
}
