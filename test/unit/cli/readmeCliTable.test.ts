import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {test} from "node:test";
import {fileURLToPath} from "node:url";

// The CLI run from its sources, so the check needs no build: its --help is the truth the README's table must match.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function getHelp(args: readonly string[]): string {
    return execFileSync(process.execPath, ["--import", "tsx", "src/cli/cli.ts", ...args, "--help"], {cwd: repoRoot, encoding: "utf8"});
}

/** The lines of one `Heading:` block of the help, up to the next blank line. */
function getHelpSection(help: string, heading: string): string[] {
    const lines = help.split("\n");
    const start = lines.indexOf(`${heading}:`);
    if (start === -1)
        return [];
    const end = lines.findIndex((line, i) => i > start && line.trim() === "");
    return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** `-m`, `--model`, … of an options block, sorted. */
function getHelpFlags(lines: readonly string[]): string[] {
    return lines.flatMap((line) => {
        const match = /^\s+(?:(-\w), )?(--[\w-]+)/.exec(line);
        return match === null ? [] : [match[1], match[2]].filter((flag): flag is string => flag !== undefined);
    }).sort();
}

/** The CLI section's `| command | options |` table: command words (positionals dropped) → the flags named in code spans. */
function getReadmeTable(): Map<string, string[]> {
    const readme = readFileSync(new URL("README.md", `file://${repoRoot}`), "utf8");
    const cli = readme.slice(readme.indexOf("### CLI"), readme.indexOf("\n## ", readme.indexOf("### CLI")));
    const table = cli.slice(cli.indexOf("| command | options |"));
    const rows = new Map<string, string[]>();
    for (const line of table.split("\n").slice(2)) {
        if (!line.startsWith("|"))
            break;
        const [, command = "", options = ""] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
        const words = command.replace(/`/g, "").replace(/<[^>]*>/g, "").trim();
        const flags = [...options.matchAll(/`[^`]*`/g)].flatMap(([span]) => [...span.matchAll(/(?<![\w-])--?[a-z][\w-]*/g)].map(([flag]) => flag));
        rows.set(words, [...new Set(flags)].sort());
    }
    return rows;
}

test("README's CLI table lists every command with exactly the options its --help shows", () => {
    const overview = getHelp([]);
    const commands = getHelpSection(overview, "Commands").map((line) => line.trim().split(/\s{2,}/)[0]!.replace(/<[^>]*>/g, "").trim());
    assert.ok(commands.length > 0, "conpet --help lists no commands");
    const readme = getReadmeTable();

    assert.deepEqual(readme.get("(every command)"), getHelpFlags(getHelpSection(overview, "Global options")), "the README's (every command) row and conpet --help's global options differ");
    for (const command of commands) {
        const documented = readme.get(command);
        assert.ok(documented !== undefined, `conpet ${command} is missing from the README's CLI table`);
        assert.deepEqual(documented, getHelpFlags(getHelpSection(getHelp(command.split(" ")), "Options")), `the README's row for conpet ${command} and its --help differ`);
    }
    const unknown = [...readme.keys()].filter((command) => command !== "(every command)" && !commands.includes(command));
    assert.deepEqual(unknown, [], "the README's CLI table lists commands the CLI does not have");
});
