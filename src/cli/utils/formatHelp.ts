import type {AnyCliCommand, CliOption} from "../CliCommand";

/** `conpet --help` (or `conpet <group> --help`): every command with its one-line description. */
export function formatOverviewHelp(commands: readonly AnyCliCommand[], globalOptions: Record<string, CliOption>, group?: string): string {
    const shown = group === undefined ? commands : commands.filter((command) => command.command[0] === group);
    const usages = shown.map((command) => [command.command.join(" ") + (command.positionals === undefined ? "" : ` ${command.positionals}`), command.description] as const);
    const width = Math.max(...usages.map(([usage]) => usage.length));
    return [
        `Usage: conpet ${group ?? "<command>"}${group === undefined ? "" : " <subcommand>"} [options]`,
        "",
        "Commands:",
        ...usages.map(([usage, description]) => `  ${usage.padEnd(width)}  ${description}`),
        "",
        "Global options:",
        ...formatOptions(globalOptions),
        "",
        `Run "conpet <command> --help" for a command's options.`,
        ""
    ].join("\n");
}

/** `conpet <command> --help`. */
export function formatCommandHelp(command: AnyCliCommand, globalOptions: Record<string, CliOption>): string {
    const positionals = command.positionals === undefined ? "" : ` ${command.positionals}`;
    const own = formatOptions(command.options);
    return [
        `Usage: conpet ${command.command.join(" ")}${positionals} [options]`,
        "",
        command.description,
        "",
        ...(own.length === 0 ? [] : ["Options:", ...own, ""]),
        "Global options:",
        ...formatOptions(globalOptions),
        ""
    ].join("\n");
}

function formatOptions(options: Record<string, CliOption>): string[] {
    const flags = Object.entries(options).map(([name, option]) => {
        const short = option.short === undefined ? "    " : `-${option.short}, `;
        const value = option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : "";
        return [`${short}--${name}${value}${option.multiple === true ? " …" : ""}`, option.description] as const;
    });
    const width = Math.max(0, ...flags.map(([flag]) => flag.length));
    return flags.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}
