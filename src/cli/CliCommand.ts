/** A command option as `util.parseArgs` takes it, plus what `--help` prints. */
export type CliOption = {
    type: "string" | "boolean";
    short?: string;
    /** Repeatable; the value is an array. Defaults to `false`. */
    multiple?: boolean;
    description: string;
    /** Shown after the flag in the help, e.g. `DIR`. Defaults to `VALUE` for string options. */
    valueName?: string;
};

export type CliOptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a handler gets besides its own arguments. */
export type CliContext = {
    /** Resolved `--store`, `$CONPET_STORE` or `~/.conpet`. */
    storeDirectory: string;
    /** `--json`: print one JSON value on stdout instead of tables. */
    json: boolean;
    /** Aborted on Ctrl+C, so long commands stop cleanly. */
    signal: AbortSignal;
    /** Writes to stdout; a newline is added. */
    print(text: string): void;
    /** Writes a progress or warning line to stderr (never mixed into `--json` output). */
    log(text: string): void;
};

/**
 * One `conpet` command: `parse` turns strictly parsed options into the command's typed
 * arguments (throwing `UsageError` on bad input), `run` calls the core or store and prints.
 */
export type CliCommand<Args> = {
    /** The words that select it, e.g. `["task", "add"]`. */
    command: readonly string[];
    description: string;
    /** Positional arguments as shown in the help, e.g. `<name>`. Defaults to none. */
    positionals?: string;
    /** Options besides the global `--store`, `--json` and `--help`. */
    options: Record<string, CliOption>;
    parse(values: CliOptionValues, positionals: string[]): Args;
    run(args: Args, context: CliContext): Promise<void>;
};

// A heterogeneous list needs the widest argument type; each command is checked against its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCliCommand = CliCommand<any>;
