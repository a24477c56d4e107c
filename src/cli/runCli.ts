import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {ConpetError} from "../vocabulary/errors";
import type {AnyCliCommand, CliContext, CliOption} from "./CliCommand";
import {UsageError} from "./UsageError";
import {formatCommandHelp, formatOverviewHelp} from "./utils/formatHelp";

/** Options every command takes. */
export const globalOptions = {
    store: {type: "string", valueName: "DIR", description: "Store folder. Defaults to $CONPET_STORE, or ~/.conpet."},
    json: {type: "boolean", description: "Print one JSON value for machines instead of tables."},
    help: {type: "boolean", short: "h", description: "Show help."}
} satisfies Record<string, CliOption>;

export type RunCliOptions = {
    /** Defaults to `process.stdout`. */
    stdout?: (text: string) => void;
    /** Defaults to `process.stderr`. */
    stderr?: (text: string) => void;
    /** Defaults to `process.env`. */
    env?: NodeJS.ProcessEnv;
    /** Defaults to a signal aborted on SIGINT or SIGTERM. */
    signal?: AbortSignal;
};

/**
 * Parses `argv` (without node and the script), runs the selected command and returns the exit
 * code: 0 on success, 1 when the command failed on bad input or state (a one-line message on
 * stderr), 2 on a usage error.
 */
export async function runCli(argv: readonly string[], commands: readonly AnyCliCommand[], options: RunCliOptions = {}): Promise<number> {
    const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
    const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
    const json = argv.includes("--json");

    const {command, rest} = selectCommand(argv, commands);
    if (command === undefined) {
        const group = rest.length > 0 && !rest[0]!.startsWith("-") ? rest[0] : undefined;
        const known = group !== undefined && commands.some((candidate) => candidate.command[0] === group);
        if (argv.length === 0) {
            stderr(formatOverviewHelp(commands, globalOptions));
            return 2;
        }
        if (argv.includes("--help") || argv.includes("-h") || group === "help") {
            stdout(formatOverviewHelp(commands, globalOptions, known ? group : undefined));
            return 0;
        }
        if (known) {
            const subcommands = commands.filter((candidate) => candidate.command[0] === group).map((candidate) => candidate.command.slice(1).join(" "));
            stderr(`conpet: "${group}" needs a subcommand: ${subcommands.join(", ")}. Run "conpet ${group} --help" for usage.\n`);
        } else
            stderr(`conpet: ${group === undefined ? "no command given" : `unknown command ${JSON.stringify(group)}`}. Run "conpet --help" for the list.\n`);
        return 2;
    }

    // SIGTERM (a service manager, `kill`) ends a command as Ctrl+C does: the trainer is stopped and the job and temporary files removed.
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    if (options.signal === undefined) {
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
    }
    try {
        const {values, positionals} = parseArgs({
            args: [...rest],
            options: toParseArgsOptions({...globalOptions, ...command.options}),
            allowPositionals: true,
            strict: true
        });
        if (values.help === true) {
            stdout(formatCommandHelp(command, globalOptions));
            return 0;
        }
        const args: unknown = command.parse(values, positionals);
        const context: CliContext = {
            storeDirectory: resolveStoreDirectory(values.store as string | undefined, options.env ?? process.env),
            json,
            signal: options.signal ?? controller.signal,
            print: (text) => stdout(`${text}\n`),
            log: (text) => stderr(`${text}\n`)
        };
        await command.run(args, context);
        return 0;
    } catch (err) {
        if (err instanceof UsageError || isParseArgsError(err)) {
            // parseArgs appends a long hint about `--` to unknown options; the usage line says enough.
            const message = (err as Error).message.split(". To specify a positional")[0];
            stderr(`conpet: ${message}\nRun "conpet ${command.command.join(" ")} --help" for usage.\n`);
            return 2;
        }
        const conpetError = err instanceof ConpetError ? err : undefined;
        const message = conpetError?.message ?? `internal error: ${err instanceof Error ? err.message : String(err)}`;
        if (json)
            stdout(`${JSON.stringify({error: {code: conpetError?.code ?? "INTERNAL", message}})}\n`);
        stderr(`conpet: ${message.split("\n")[0]}\n`);
        if (conpetError === undefined && err instanceof Error && err.stack !== undefined && process.env.CONPET_DEBUG === "1")
            stderr(`${err.stack}\n`);
        return 1;
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    }
}

/** `--store`, else `$CONPET_STORE`, else `~/.conpet`. */
export function resolveStoreDirectory(flag: string | undefined, env: NodeJS.ProcessEnv): string {
    const chosen = flag ?? (env.CONPET_STORE === "" ? undefined : env.CONPET_STORE);
    return path.resolve(chosen ?? path.join(os.homedir(), ".conpet"));
}

/**
 * The command whose words come first among the non-option arguments (the longest match wins),
 * and the arguments left once those words are removed. Options may come before the command.
 */
function selectCommand(argv: readonly string[], commands: readonly AnyCliCommand[]): {command?: AnyCliCommand; rest: string[]} {
    const wordIndexes: number[] = [];
    for (let i = 0; i < argv.length && wordIndexes.length < 3; i++) {
        const token = argv[i]!;
        if (token === "--")
            break;
        if (token.startsWith("-")) {
            if (token === "--store")
                i++;
            continue;
        }
        wordIndexes.push(i);
    }
    const words = wordIndexes.map((i) => argv[i]!);
    let best: AnyCliCommand | undefined;
    for (const command of commands) {
        const matches = command.command.every((word, index) => words[index] === word);
        if (matches && command.command.length > (best?.command.length ?? 0))
            best = command;
    }
    if (best === undefined)
        return {rest: words.length > 0 ? [...words] : [...argv]};
    const used = new Set(wordIndexes.slice(0, best.command.length));
    return {command: best, rest: argv.filter((_, index) => !used.has(index))};
}

function toParseArgsOptions(options: Record<string, CliOption>) {
    return Object.fromEntries(Object.entries(options).map(([name, {description: _description, valueName: _valueName, ...config}]) => [name, config]));
}

function isParseArgsError(err: unknown): boolean {
    const code = (err as {code?: unknown} | null)?.code;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
