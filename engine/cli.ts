// A CLI-free stand-in for the Pulumi engine, for programs whose resources are all dynamic resources.
//
//   mlplatform-engine <preview|up|refresh|destroy> <programDir> [--stack NAME] [--config key=value]...
//                     [--yes] [--skip-preview] [--preview-only] [--diff] [--json] [--show-sames] [--verbose] [--help]
//   mlplatform-engine config <set|get|rm> <programDir> <key> [value] [--secret] [--stack NAME]

import * as readline from "readline";
import { parseArgs as parseArgv, type ParseArgsConfig } from "util";
import { DestroyPass } from "./destroy";
import { Printer, type Display, type Writer } from "./display";
import { JsonDigest } from "./json";
import type { Operation, OperationContext } from "./operation";
import { killAllChildren } from "./processes";
import { loadProject, loadProjectSettings, loadStackConfig, type StackConfig } from "./project";
import { getConfig, parseConfigKey, removeConfig, setConfig, type ConfigKey } from "./stack-config";
import { blindingWriter } from "./blind";
import { defaultParallel, PARALLEL_ENV, wholeNumber } from "./limiter";
import { RefreshPass, type PendingCreateChoices } from "./refresh";
import { stackPaths } from "./files";
import { StackLock } from "./lock";
import { StateStore } from "./state";
import { UpdatePass } from "./update";

const COMMANDS = ["preview", "up", "refresh", "destroy"] as const;
type Command = (typeof COMMANDS)[number];
/** The command that edits the stack's config file instead of running the program (stack-config.ts). */
const CONFIG_COMMAND = "config";
/** `config`'s own commands, with the CLI's other names for `rm` (pkg/cmd/pulumi/config/config.go). */
const CONFIG_ACTIONS = { set: "set", get: "get", rm: "rm", remove: "rm", delete: "rm" } as const;
type ConfigAction = (typeof CONFIG_ACTIONS)[keyof typeof CONFIG_ACTIONS];

interface CliArgs {
    command: Command;
    programDir: string;
    stack: string;
    config: string[];
    yes: boolean;
    skipPreview: boolean;
    previewOnly: boolean;
    diff: boolean;
    json: boolean;
    showSames: boolean;
    verbose: boolean;
    /** How many steps run at once (`--parallel`, else Pulumi's default). */
    parallel: number;
    /** refresh: what to do with the creates a killed run left pending (without a flag: asked on a terminal, else kept). */
    pendingCreates: { clear: boolean; skip: boolean; imports: Map<string, string> };
}

/** `config set|get|rm`, as parseConfigArgs reads it. */
export interface ConfigArgs {
    action: ConfigAction;
    programDir: string;
    stack: string;
    key: ConfigKey;
    /** set: the value; not given, it is read from stdin, as the CLI does off a terminal. */
    value?: string;
    secret: boolean;
}

/** How util.parseArgs reads one flag (@types/node does not export the name). */
type FlagConfig = NonNullable<ParseArgsConfig["options"]>[string];

/** The flags as util.parseArgs reads them; FLAG_HELP gives each its line in the usage. */
const FLAGS = {
    stack: { type: "string", short: "s", default: "dev" },
    config: { type: "string", short: "c", multiple: true, default: [] },
    yes: { type: "boolean", short: "y", default: false },
    "skip-preview": { type: "boolean", default: false },
    "preview-only": { type: "boolean", default: false },
    diff: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "show-sames": { type: "boolean", default: false },
    parallel: { type: "string", short: "p" },
    "clear-pending-creates": { type: "boolean", default: false },
    "skip-pending-creates": { type: "boolean", default: false },
    "import-pending-creates": { type: "string", multiple: true, default: [] },
    verbose: { type: "boolean", short: "v", default: false },
    help: { type: "boolean", short: "h", default: false },
} satisfies Record<string, FlagConfig>;
type FlagName = keyof typeof FLAGS;

/** The flags of `config`: the stack, and `--secret` for set. */
const CONFIG_FLAGS = {
    stack: FLAGS.stack,
    secret: { type: "boolean", default: false },
    help: FLAGS.help,
} satisfies Record<string, FlagConfig>;

const FLAG_HELP: Record<FlagName, { value?: string; text: string }> = {
    stack: { value: "NAME", text: `stack name (default: ${FLAGS.stack.default}); state in <programDir>/.pulumi-local/<stack>.json` },
    config: { value: "key=value", text: "set a config value (repeatable); a key without ':' gets the project namespace" },
    yes: { text: "apply without asking (required when not on a terminal)" },
    "skip-preview": { text: "do not run a preview before applying" },
    "preview-only": { text: "only show what up/refresh/destroy would do" },
    diff: { text: "show each step's properties, old => new, nested ones included (secrets as [secret])" },
    json: { text: "print the plan as one JSON document, as `pulumi preview --json` (a preview only)" },
    "show-sames": { text: "also list unchanged resources in --diff and --json output" },
    parallel: { value: "N", text: `run up to N steps at once; 1 runs them one by one (default: ${PARALLEL_ENV}, else 4 per CPU)` },
    "clear-pending-creates": { text: "refresh: forget the creates a killed run left pending" },
    "skip-pending-creates": { text: "refresh: keep them, and do not ask about them" },
    "import-pending-creates": { value: "URN,ID", text: "refresh: the create of URN made object ID; it enters the state (repeatable)" },
    verbose: { text: "also show debug messages and the provider host's stderr" },
    help: { text: "show this help" },
};

function shortFlag(name: FlagName): string | undefined {
    return (FLAGS[name] as FlagConfig).short;
}

/** One line per flag: the flag and its value, then its text in a column wide enough for the longest flag. */
function usageLines(): string {
    const flags = (Object.keys(FLAGS) as FlagName[]).map((name) => {
        const { value } = FLAG_HELP[name];
        const short = shortFlag(name);
        return { name, flag: `  ${short ? `-${short}, ` : "    "}--${name}${value ? ` ${value}` : ""}` };
    });
    const width = Math.max(...flags.map((f) => f.flag.length)) + 2;
    return flags.map(({ name, flag }) => flag.padEnd(width) + FLAG_HELP[name].text).join("\n");
}

const SYNOPSIS = `usage: mlplatform-engine <${COMMANDS.join("|")}> <programDir> [options]`;
const CONFIG_SYNOPSIS = `usage: mlplatform-engine ${CONFIG_COMMAND} <set|get|rm> <programDir> <key> [value] [--secret] [--stack NAME]`;

const USAGE = `${SYNOPSIS}
${CONFIG_SYNOPSIS.replace("usage:", "      ")}

options:
${usageLines()}

config: the stack's Pulumi.<stack>.yaml, as \`pulumi config\` writes it; a key without ':' gets the project namespace
  set <programDir> <key> [value]  write the value; without one it is read from stdin (one trailing newline dropped);
                                  a value that starts with '-' goes after --
      --secret                    encrypt it with the stack's passphrase (PULUMI_CONFIG_PASSPHRASE or
                                  PULUMI_CONFIG_PASSPHRASE_FILE), making the stack's encryptionsalt when it has none
  get <programDir> <key>          print the value, a secure one decrypted (else the default in Pulumi.yaml)
  rm <programDir> <key>           remove the key

environment:
  MLPLATFORM_ENGINE_PASSPHRASE   encrypt the stack's secrets with this passphrase instead of a key file
  ${PARALLEL_ENV}                the default of --parallel, as for the Pulumi CLI
  PULUMI_CONFIG_PASSPHRASE       the passphrase of the secure values in Pulumi.<stack>.yaml (or
  PULUMI_CONFIG_PASSPHRASE_FILE  a file holding it), as for the Pulumi CLI
`;

/** What the message about a mistaken flag lists: `--stack (-s), --config (-c), ..., --skip-preview, ...`. */
function knownFlags(flags: Record<string, FlagConfig>): string {
    return Object.entries(flags)
        .map(([name, flag]) => (flag.short ? `--${name} (-${flag.short})` : `--${name}`))
        .join(", ");
}

class UsageError extends Error {}

/** Thrown by parseArgs for --help: the usage is printed, and the run succeeds. */
class HelpRequested extends Error {}

/**
 * The flags and positionals of a command line, each mistaken flag named in one line. Not strict: util.parseArgs would
 * reject a bad flag with a message of several lines that hides the flag in the middle.
 */
function readFlags<T extends Record<string, FlagConfig>>(argv: readonly string[], flags: T, unknownOption = (rawName: string) => `unknown option ${rawName}`) {
    const parsed = parseArgv({ args: [...argv], options: flags, allowPositionals: true, strict: false, tokens: true as const });
    for (const token of parsed.tokens) {
        if (token.kind !== "option") continue;
        const flag: FlagConfig | undefined = (flags as Record<string, FlagConfig>)[token.name];
        if (flag === undefined) {
            throw new UsageError(`${unknownOption(token.rawName)}; the options are ${knownFlags(flags)}`);
        }
        if (flag.type === "boolean" && token.value !== undefined) {
            throw new UsageError(`${token.rawName} takes no value`);
        }
        // A value that looks like a flag is the next flag, its own value forgotten (`--stack --yes`); a value that
        // starts with '-' can be given inline (`--config=-x`).
        if (flag.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
            throw new UsageError(`${token.rawName} needs a value`);
        }
    }
    if ((parsed.values as Record<string, unknown>).help) {
        throw new HelpRequested();
    }
    return parsed;
}

/** A stack's name as the engine takes it: it names the stack's files. */
function stackName(value: unknown): string {
    // The types util.parseArgs gives when not strict are loose; readFlags checked that --stack has a value.
    const stack = value as string;
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`invalid stack name '${stack}': use letters, digits, '-', '_' and '.'`);
    }
    return stack;
}

/** Whether the command line is `config ...`, flags before it included. */
function isConfigCommand(argv: readonly string[]): boolean {
    return parseArgv({ args: [...argv], options: { ...FLAGS, ...CONFIG_FLAGS }, allowPositionals: true, strict: false }).positionals[0] === CONFIG_COMMAND;
}

export function parseArgs(argv: readonly string[]): CliArgs {
    const { values, positionals } = readFlags(argv, FLAGS);
    const [command, programDir, ...extra] = positionals;
    if (!COMMANDS.includes(command as Command)) {
        throw new UsageError(command ? `unknown command '${command}'; the commands are ${[...COMMANDS, CONFIG_COMMAND].join(", ")}` : "missing command");
    }
    if (!programDir || extra.length) {
        throw new UsageError(programDir ? `unexpected argument '${extra[0]}'` : "missing program directory");
    }
    const stack = stackName(values.stack);
    const previewOnly = values["preview-only"] === true;
    if (values.json === true && command !== "preview" && !previewOnly) {
        // The CLI's `up --json` streams engine events, one object per line; this engine writes only the preview's plan.
        throw new UsageError(`--json prints a preview's plan: use it with preview, or with ${command} --preview-only`);
    }
    return {
        command: command as Command,
        programDir,
        stack,
        config: values.config as string[],
        yes: values.yes === true,
        skipPreview: values["skip-preview"] === true,
        previewOnly,
        diff: values.diff === true,
        json: values.json === true,
        showSames: values["show-sames"] === true,
        verbose: values.verbose === true,
        parallel: parallelFlag(values.parallel as string | undefined),
        pendingCreates: pendingCreateFlags(command as Command, values),
    };
}

/** `--parallel N` as the CLI takes it: a whole number, 1 or less meaning one step at a time (deployment.go DegreeOfParallelism). */
function parallelFlag(value: string | undefined): number {
    if (value === undefined) {
        try {
            return defaultParallel();
        } catch (e) {
            throw new UsageError((e as Error).message);
        }
    }
    const steps = wholeNumber(value);
    if (steps === undefined) {
        throw new UsageError(`--parallel takes a whole number of steps to run at once, got '${value}'`);
    }
    return Math.min(Math.max(1, steps), 2 ** 31 - 1);
}

/**
 * refresh's flags about pending creates, checked as the CLI checks them (pkg/cmd/pulumi/operations/refresh.go).
 * `--import-pending-creates` takes URN and ID as two values (repeat the flag) or as one, comma-separated.
 */
function pendingCreateFlags(command: Command, values: Record<string, unknown>): CliArgs["pendingCreates"] {
    const clear = values["clear-pending-creates"] === true;
    const skip = values["skip-pending-creates"] === true;
    const entries = (values["import-pending-creates"] as string[]).flatMap((v) => v.split(",")).map((v) => v.trim());
    if ((clear || skip || entries.length) && command !== "refresh") {
        throw new UsageError("--clear-pending-creates, --skip-pending-creates and --import-pending-creates are options of refresh");
    }
    if (clear && skip) {
        throw new UsageError("cannot set both --skip-pending-creates and --clear-pending-creates");
    }
    if (entries.length % 2 !== 0) {
        throw new UsageError("--import-pending-creates: each URN must be followed by an ID: found an odd number of entries");
    }
    const imports = new Map<string, string>();
    for (let i = 0; i < entries.length; i += 2) {
        if (!entries[i].startsWith("urn:pulumi:") || entries[i + 1] === "") {
            throw new UsageError(`--import-pending-creates takes a resource's URN and the id of its object, got '${entries[i]}' and '${entries[i + 1]}'`);
        }
        imports.set(entries[i], entries[i + 1]);
    }
    return { clear, skip, imports };
}

/** `config <set|get|rm> <programDir> <key> [value]`, checked as the CLI checks it. */
export function parseConfigArgs(argv: readonly string[]): ConfigArgs {
    const { values, positionals } = readFlags(argv, CONFIG_FLAGS, (rawName) =>
        // An unknown "option" may be a value that starts with '-', a secret: only the run commands' flags are named.
        Object.hasOwn(FLAGS, rawName.replace(/^--?/, "")) || Object.values(FLAGS).some((f) => `-${(f as FlagConfig).short}` === rawName)
            ? `${rawName} is not an option of config`
            : "unknown option (not shown: it may be the value; a value that starts with '-' goes after --, as in config set <programDir> <key> -- <value>)",
    );
    const [, actionName, programDir, key, ...rest] = positionals;
    const actions = Object.keys(CONFIG_ACTIONS).filter((name) => name === CONFIG_ACTIONS[name as keyof typeof CONFIG_ACTIONS]);
    if (!actionName) {
        throw new UsageError(`missing config command: ${actions.join(", ")}`);
    }
    if (!Object.hasOwn(CONFIG_ACTIONS, actionName)) {
        throw new UsageError(`unknown config command '${actionName}'; the config commands are ${actions.join(", ")}`);
    }
    const action: ConfigAction = CONFIG_ACTIONS[actionName as keyof typeof CONFIG_ACTIONS];
    if (!programDir) {
        throw new UsageError("missing program directory");
    }
    if (key === undefined) {
        throw new UsageError(`config ${action} needs a key: config ${action} <programDir> <key>`);
    }
    const extra = action === "set" ? rest.slice(1) : rest;
    if (extra.length) {
        // Never the value itself: it may be a secret given where a key was expected.
        throw new UsageError(`config ${action} takes ${action === "set" ? "a key and a value" : "one key"}: one argument too many`);
    }
    if (values.secret === true && action !== "set") {
        throw new UsageError("--secret is an option of config set");
    }
    let parsedKey: ConfigKey;
    try {
        parsedKey = parseConfigKey(key);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    return {
        action,
        programDir,
        stack: stackName(values.stack),
        key: parsedKey,
        ...(action === "set" && rest.length > 0 ? { value: rest[0] } : {}),
        secret: values.secret === true,
    };
}

/** The answer to a mistaken command line: what is wrong, in one line, and how to find the rest; or the usage. */
function argumentsFailure(e: unknown, synopsis: string): number {
    if (e instanceof HelpRequested) {
        process.stdout.write(USAGE);
        return 0;
    }
    process.stderr.write(`error: ${(e as Error).message}\n${synopsis} (--help lists the options)\n`);
    return 2;
}

/** `config set|get|rm`: prints nothing but what `get` asks for, and notes on stderr; a secret never. */
async function runConfig(argv: readonly string[]): Promise<number> {
    let args: ConfigArgs;
    try {
        args = parseConfigArgs(argv);
    } catch (e) {
        return argumentsFailure(e, CONFIG_SYNOPSIS);
    }
    try {
        const project = loadProjectSettings(args.programDir);
        if (args.action === "get") {
            process.stdout.write(`${getConfig(project, args.stack, args.key, process.env)}\n`);
            return 0;
        }
        const result =
            args.action === "rm"
                ? removeConfig(project, args.stack, args.key)
                : { ...setConfig(project, args.stack, args.key, args.value ?? (await valueFromStdin()), args.secret, process.env), removed: true };
        if (!result.removed) {
            const key = args.key.namespace === undefined ? args.key.name : `${args.key.namespace}:${args.key.name}`;
            process.stderr.write(`note: '${key}' is not set in ${result.file}; nothing was removed\n`);
        }
        if (result.rewritten) {
            process.stderr.write(`note: ${result.file} was written out whole, without its comments: its config is in a form this command does not edit line by line (flow style, anchors)\n`);
        }
        return 0;
    } catch (e) {
        process.stderr.write(`error: ${(e as Error).message}\n`);
        return 1;
    }
}

/** `config set <key>` without a value: stdin, as the CLI reads it off a terminal (config.go configSetCmd.Run). */
async function valueFromStdin(): Promise<string> {
    if (process.stdin.isTTY) {
        throw new Error("config set needs a value: give it after the key, or on stdin (config set <programDir> <key> < file); this engine does not prompt for it");
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    // One trailing newline goes (cmdutil.RemoveTrailingNewline), so that `echo value |` and a file set "value".
    return text.endsWith("\n") ? text.slice(0, -1) : text;
}

async function main(argv: readonly string[]): Promise<number> {
    if (isConfigCommand(argv)) {
        return runConfig(argv);
    }
    let args: CliArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        return argumentsFailure(e, SYNOPSIS);
    }
    let lock: StackLock | undefined;
    // Once the config is read, the engine's own error messages are blinded too.
    let stderr: Writer = process.stderr;
    try {
        const project = loadProject(args.programDir);
        const config = loadStackConfig(project, args.stack, args.config);
        stderr = blindingWriter(process.stderr, config.secrets);
        const ctx: OperationContext = {
            project,
            stack: args.stack,
            config: config.values,
            secretConfigKeys: config.secretKeys,
            printer: display(args, config),
            parallel: args.parallel,
        };
        if (args.command === "preview") {
            // A preview reads the state and writes nothing, not even a lock.
            const store = StateStore.open(project.dir, project.name, args.stack);
            return (await new UpdatePass(ctx, store, true).run()) ? 0 : 1;
        }
        lock = StackLock.acquire(stackPaths(project.dir, args.stack), args.stack, `${args.command} ${args.stack}`);
        const store = StateStore.open(project.dir, project.name, args.stack);
        const choices = args.command === "refresh" ? await pendingCreateChoices(args, store) : undefined;
        const passes: Record<Exclude<Command, "preview">, { kind: string; make: (dryRun: boolean) => Operation }> = {
            up: { kind: "update", make: (dryRun) => new UpdatePass(ctx, store, dryRun) },
            refresh: { kind: "refresh", make: (dryRun) => new RefreshPass(ctx, store, dryRun, choices) },
            destroy: { kind: "destroy", make: (dryRun) => new DestroyPass(ctx, store, dryRun) },
        };
        const { kind, make } = passes[args.command];
        return (await previewThenApply(args, kind, make)) ? 0 : 1;
    } catch (e) {
        stderr.write(`error: ${(e as Error).message}\n`);
        return 1;
    } finally {
        lock?.release();
    }
}

/** The text display (with --diff, each step's properties), or with --json the plan as one document. */
function display(args: CliArgs, config: StackConfig): Display {
    // Secure config values are "[secret]" in everything a display prints (blind.ts).
    const out = blindingWriter(process.stdout, config.secrets);
    const err = blindingWriter(process.stderr, config.secrets);
    if (args.json) {
        // The CLI prints JSON whatever else is asked for (display.go: JSONDisplay comes first).
        return new JsonDigest(out, err, args.verbose, config.shown, args.showSames);
    }
    return new Printer(out, err, args.verbose, process.stderr.isTTY === true, { diff: args.diff, showSames: args.showSames });
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

/**
 * How refresh settles pending creates: the flags, and on a terminal (unless --skip-pending-creates or
 * --clear-pending-creates) a question for each create the flags left open, as `pulumi refresh` asks
 * (refresh.go interactiveFixPendingCreate). Off a terminal, creates the flags do not name stay pending.
 */
async function pendingCreateChoices(args: CliArgs, store: StateStore): Promise<PendingCreateChoices> {
    const { clear, skip, imports } = args.pendingCreates;
    if (clear) return { imports, clear: "all" };
    const open = store.snapshot.pendingOperations.filter((p) => p.operation === "creating" && !imports.has(p.urn));
    const cleared = new Set<string>();
    if (skip || open.length === 0 || !process.stdin.isTTY || !process.stdout.isTTY) return { imports, clear: cleared };
    const answers = new Map(imports);
    for (const p of open) {
        for (;;) {
            const answer = await ask(`Options for pending CREATE of ${p.urn}:\n  clear (the CREATE failed; remove the pending CREATE)\n  skip (do nothing)\n  import <id> (the CREATE succeeded; complete it with the object's id)\n> `);
            // The terminal closed: what is not answered stays as it is.
            const [choice, id] = (answer ?? "skip").trim().split(/\s+/);
            if (choice === "clear") cleared.add(p.urn);
            else if (choice === "import" && id) answers.set(p.urn, id);
            else if (choice !== "skip") continue;
            break;
        }
    }
    return { imports: answers, clear: cleared };
}

/** The terminal's lines, read through one interface for the whole run: lines typed ahead wait for their question. */
let terminalLines: AsyncIterator<string> | undefined;

/** Asks on the terminal; undefined once its input has ended. */
async function ask(question: string): Promise<string | undefined> {
    process.stdout.write(question);
    terminalLines ??= readline.createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
    const next = await terminalLines.next();
    return next.done ? undefined : next.value;
}

async function confirm(question: string): Promise<boolean> {
    return /^y(es)?$/i.test((await ask(question))?.trim() ?? "");
}

/**
 * Exits once stdout and stderr have handed everything to the OS: writes to a pipe are asynchronous, and exiting at
 * once would cut a long plan short (a `--json` document of a few hundred kilobytes read by another process).
 */
function exitWhenWritten(code: number): void {
    let open = 2;
    const flushed = () => {
        if (--open === 0) {
            process.exit(code);
        }
    };
    // A write's callback comes after every earlier write on the stream is done (or failed: a reader gone).
    process.stdout.write("", flushed);
    process.stderr.write("", flushed);
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
    // A reader that went away (`| head`) must not crash a run that may be changing the stack: the rest of the output
    // is dropped and the run goes on to its end.
    for (const stream of [process.stdout, process.stderr]) {
        stream.on("error", () => undefined);
    }
    main(process.argv.slice(2)).then(
        // Exit explicitly: a lingering gRPC channel must not keep the CLI alive.
        (code) => exitWhenWritten(code),
        (e: unknown) => {
            process.stderr.write(`error: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exit(1);
        },
    );
}

if (require.main === module) {
    runCommandLine();
}
