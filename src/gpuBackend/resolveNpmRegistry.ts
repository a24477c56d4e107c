import {readFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {InvalidInputError} from "../vocabulary/errors";

export const defaultNpmRegistry = "https://registry.npmjs.org/";

/** Environment variable that points the GPU backend download at another registry: a mirror, or a test fixture. */
export const registryEnvVar = "CONPET_NPM_REGISTRY";

export type ResolveNpmRegistryOptions = {
    /** An explicit registry (a command argument, `--registry`); wins over everything. Defaults to none. */
    registry?: string;
    /** Defaults to `process.env`. */
    env?: NodeJS.ProcessEnv;
    /** Where `.npmrc` is looked for. Defaults to `os.homedir()`. */
    homeDirectory?: string;
};

/**
 * The registry the GPU backend comes from, as npm would pick it for `@node-llama-cpp/*`: an explicit one, then
 * `$CONPET_NPM_REGISTRY`, `$npm_config_registry`, the user's `~/.npmrc` (`@node-llama-cpp:registry=`, then
 * `registry=`), then npmjs.org. Whichever it is, the tarball must match the sha512 pinned in this build, so a
 * mirror can serve it but cannot change it. Returned with a trailing slash.
 */
export function resolveNpmRegistry({registry, env = process.env, homeDirectory = os.homedir()}: ResolveNpmRegistryOptions = {}): string {
    const candidates = [registry, env[registryEnvVar], env.npm_config_registry];
    const fromNpmrc = readNpmrcRegistry(path.join(homeDirectory, ".npmrc"));
    const chosen = [...candidates, fromNpmrc].find((value) => value !== undefined && value.trim() !== "")?.trim() ?? defaultNpmRegistry;
    let url: URL;
    try {
        url = new URL(chosen);
    } catch {
        throw new InvalidInputError(`The npm registry ${JSON.stringify(chosen)} is not a URL.`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
        throw new InvalidInputError(`The npm registry must be an http(s) URL, not ${JSON.stringify(chosen)}.`);
    return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

function readNpmrcRegistry(file: string): string | undefined {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
    const values = new Map<string, string>();
    for (const line of text.split(/\r?\n/)) {
        const match = /^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
        if (match !== null)
            values.set(match[1]!, match[2]!.replace(/^(["'])(.*)\1$/, "$2"));
    }
    return values.get("@node-llama-cpp:registry") ?? values.get("registry");
}
