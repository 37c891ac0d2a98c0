#!/usr/bin/env node
// `mlplatform <command>`: the package's command. `review` turns `pulumi preview --json` into a Markdown report
// for a pull request (and an SVG picture), `graph` draws a stack as it stands, `serve` serves the control plane
// (provider/serve.ts, loaded only for that command). A mistake in the arguments or
// an input that cannot be read is said in one line on stderr, exit code 2; never a stack trace.
import * as fs from "fs";
import { parseArgs } from "util";
import { allowScriptsStep, installCommand, isMissingPackage } from "./client/optional-package";
import { ReviewInputError } from "./review/pulumi-json";
import { DEFAULT_MAX_LENGTH } from "./review/report";
import { graphStack, reviewPreview } from "./review/review";

export interface Io {
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

const processIo: Io = {
    stdin: process.stdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

class UsageError extends Error {}

const HELP = `Usage: mlplatform <command> [options]

Commands:
  review [file|-]   Markdown report of a change for a pull request, from \`pulumi preview --json\`
  graph [file|-]    picture of a stack as it stands, from \`pulumi stack export\` or the local engine's state file
  serve             serve the control plane over HTTP (options: --port N, --host ADDR; settings: see README)

Run \`mlplatform <command> --help\` for a command's options.
`;

const REVIEW_HELP = `Usage: mlplatform review [file|-] [--out report.md] [--svg picture.svg] [--max-length N]

Reads the JSON that \`pulumi preview --json\` prints (add --show-sames to picture the whole organization) from
the file, or from stdin when the file is - or left out, and writes a Markdown report: a summary line, the
replacements and what they take down with them, roles granted, changed and revoked, resources newly shared or
unshared, every changed property with its old and new value, and a Mermaid picture of the organization after
the change. Secret values are never shown. With no changes the report is one line.

Options:
  --out FILE        write the report to FILE instead of stdout
  --svg FILE        also write the picture as a standalone SVG
  --max-length N    keep the report under N characters (default ${DEFAULT_MAX_LENGTH}, under GitHub's comment limit; 0: no limit)
  -h, --help        show this help

Example:
  pulumi preview --json --show-sames > plan.json
  mlplatform review plan.json --out report.md --svg plan.svg
`;

const GRAPH_HELP = `Usage: mlplatform graph [file|-] [--out picture.md] [--svg picture.svg]

Draws a stack as it stands: organizations, zones, communities, projects, resources and the shares between
communities. Reads \`pulumi stack export\` output or the local engine's state file
(<program>/.pulumi-local/<stack>.json) from the file, or from stdin when the file is - or left out; a
\`pulumi preview --json\` is drawn as the stack would stand after it. Writes a Mermaid diagram in Markdown.

Options:
  --out FILE        write the Markdown to FILE instead of stdout
  --svg FILE        also write the picture as a standalone SVG
  -h, --help        show this help

Example:
  pulumi stack export | mlplatform graph - --svg stack.svg > stack.md
`;

const SERVE_HELP = `Usage: mlplatform serve [--port N] [--host ADDR]

Serves the control plane over HTTP for a team: the same rules and database format as the embedded backend. Point
a stack at it with mlplatform:endpoint and mlplatform:token. Serves until stopped.

Options:
  --port N          the port to listen on (default 8470; 0: any free port)
  --host ADDR       the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  -h, --help        show this help

Settings (environment):
  MLPLATFORM_SERVER_TOKENS    required: <token>=<subject>[,...], e.g. alice-token=userAccount:alice
  MLPLATFORM_DATA_DIR         folder of the database and key file (default .mlplatform)
  MLPLATFORM_ENCRYPTION_KEY   base64 of 32 bytes encrypting secrets at rest (default: a key file in the data folder)

Needs better-sqlite3, an optional dependency of pulumi-mlplatform.

Example:
  MLPLATFORM_SERVER_TOKENS=ci-token=serviceAccount:ci mlplatform serve --port 8470
`;

const EXAMPLE_VALUE: Record<string, string> = { out: "report.md", svg: "picture.svg", "max-length": String(DEFAULT_MAX_LENGTH), port: "8470", host: "0.0.0.0" };

/** util.parseArgs, its errors said in our words with the command's help to look at. */
function parse(command: string, argv: string[], options: Record<string, { type: "string" }>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
    try {
        return parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    } catch (e) {
        const error = e as Error & { code?: string };
        const flag = /'(-{1,2}[\w-]+)/.exec(error.message)?.[1];
        if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${flag ?? error.message}. Run \`mlplatform ${command} --help\` for the options.`);
        if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            throw new UsageError(`option ${flag} needs a value, e.g. ${flag} ${EXAMPLE_VALUE[flag?.replace(/^-+/, "") ?? ""] ?? "<value>"}.`);
        }
        throw new UsageError(`${error.message}. Run \`mlplatform ${command} --help\`.`);
    }
}

/** A file system error in a few words; `missing` says what ENOENT means for this use. */
function fileProblem(e: unknown, missing: string): string {
    const error = e as NodeJS.ErrnoException;
    const known: Record<string, string> = { ENOENT: missing, EISDIR: "it is a folder", EACCES: "permission denied", ENOTDIR: "a part of the path is not a folder" };
    return known[error.code ?? ""] ?? error.message;
}

async function readInput(positionals: string[], command: string, io: Io): Promise<{ text: string; source: string }> {
    if (positionals.length > 1) throw new UsageError(`${command} reads one file, got ${positionals.length}: ${positionals.join(" ")}. Pass one file, or - for stdin.`);
    const file = positionals[0] ?? "-";
    if (file !== "-") {
        try {
            return { text: fs.readFileSync(file, "utf8"), source: file };
        } catch (e) {
            throw new UsageError(`cannot read ${file}: ${fileProblem(e, "no such file")}.`);
        }
    }
    if (io.stdin.isTTY) throw new UsageError(`${command} reads JSON from a file or stdin: pass a file, or pipe it in (e.g. \`pulumi preview --json | mlplatform review\`).`);
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return { text: Buffer.concat(chunks).toString("utf8"), source: "stdin" };
}

function writeOutput(file: string | undefined, text: string, io: Io): void {
    if (file === undefined) {
        io.stdout(text);
        return;
    }
    try {
        fs.writeFileSync(file, text);
    } catch (e) {
        throw new UsageError(`cannot write ${file}: ${fileProblem(e, "its folder does not exist")}.`);
    }
}

const stringOption = (value: string | boolean | undefined): string | undefined => (typeof value === "string" ? value : undefined);

function maxLengthOf(text: string | undefined): number {
    if (text === undefined) return DEFAULT_MAX_LENGTH;
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--max-length must be a whole number of characters (0 for no limit), got ${JSON.stringify(text)}.`);
    return n;
}

async function review(argv: string[], io: Io): Promise<void> {
    const { values, positionals } = parse("review", argv, { out: { type: "string" }, svg: { type: "string" }, "max-length": { type: "string" } });
    if (values.help) return io.stdout(REVIEW_HELP);
    const maxLength = maxLengthOf(stringOption(values["max-length"]));
    const { text, source } = await readInput(positionals, "review", io);
    const svg = stringOption(values.svg);
    const result = reviewPreview(text, source, { maxLength, svgWritten: svg !== undefined });
    writeOutput(stringOption(values.out), result.markdown, io);
    if (svg !== undefined) writeOutput(svg, result.svg, io);
}

async function graph(argv: string[], io: Io): Promise<void> {
    const { values, positionals } = parse("graph", argv, { out: { type: "string" }, svg: { type: "string" } });
    if (values.help) return io.stdout(GRAPH_HELP);
    const { text, source } = await readInput(positionals, "graph", io);
    // The local engine appends a run's steps to <stack>.journal and folds them into <stack>.json when the run ends:
    // a journal beside the file is an interrupted run, whose steps the file does not hold yet (engine/state.ts).
    const journal = source.replace(/\.json$/, ".journal");
    if (journal !== source && fs.existsSync(journal)) {
        io.stderr(`mlplatform graph: note: ${journal} holds the steps of an interrupted run, not in ${source} yet: the picture shows the stack before them. The engine's next up, refresh or destroy folds them in.\n`);
    }
    const result = graphStack(text, source);
    const svg = stringOption(values.svg);
    writeOutput(stringOption(values.out), result.markdown, io);
    if (svg !== undefined) writeOutput(svg, result.svg, io);
}

/** Serves until stopped (the server keeps the process alive); 0 once it is started, 1 without better-sqlite3. */
function serve(argv: string[], io: Io): number {
    const { values, positionals } = parse("serve", argv, { port: { type: "string" }, host: { type: "string" } });
    if (values.help) {
        io.stdout(SERVE_HELP);
        return 0;
    }
    if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got ${positionals.join(" ")}. Run \`mlplatform serve --help\` for the options.`);
    let module: typeof import("./serve");
    try {
        // Loaded only here: the server's database module needs better-sqlite3, which review and graph do not.
        module = require("./serve");
    } catch (e) {
        if (!isMissingPackage(e, "better-sqlite3")) throw e;
        io.stderr(`mlplatform serve: the control plane keeps its database with better-sqlite3, which is not installed (an optional dependency of pulumi-mlplatform). Install it beside pulumi-mlplatform: ${installCommand("better-sqlite3")}${allowScriptsStep("better-sqlite3")}\n`);
        return 1;
    }
    module.serve({ port: stringOption(values.port), host: stringOption(values.host) });
    return 0;
}

/** Runs one command; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "review":
                await review(rest, io);
                return 0;
            case "graph":
                await graph(rest, io);
                return 0;
            case "serve":
                return serve(rest, io);
            case undefined:
            case "help":
            case "-h":
            case "--help":
                io.stdout(HELP);
                return command === undefined ? 2 : 0;
            default:
                throw new UsageError(`unknown command ${JSON.stringify(command)}. Commands: review, graph, serve (\`mlplatform --help\`).`);
        }
    } catch (e) {
        if (e instanceof UsageError || e instanceof ReviewInputError) {
            const known = command === "review" || command === "graph" || command === "serve";
            io.stderr(`mlplatform${known ? ` ${command}` : ""}: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    // `serve` keeps the process alive with its server after main resolves; the exit code applies when it ends.
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (e: unknown) => {
        console.error(e);
        process.exitCode = 1;
    });
}
