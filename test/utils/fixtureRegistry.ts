/**
 * A registry-shaped HTTP server on 127.0.0.1 for the GPU backend install tests: it answers npm's version document
 * (`/<@scope%2fname>/<version>` → `{name, version, dist: {tarball, integrity}}`) and serves the tarballs, whole,
 * cut short (the full Content-Length announced, half the bytes sent, the connection closed) or slowly, and a
 * builder of real npm-style `.tgz` files (`package/…`) with their sha512 integrity.
 */
import {createHash} from "node:crypto";
import {mkdir, mkdtemp, readFile, rm, symlink, writeFile} from "node:fs/promises";
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import os from "node:os";
import path from "node:path";
import {create} from "tar";

export type FixturePackage = {
    name: string;
    version: string;
    tarball: Buffer;
    /** What the version document claims. Defaults to the tarball's own integrity; `null` leaves it out. */
    documentIntegrity?: string | null;
    /** `cut-short`: half the bytes, then the socket is closed. `slow`: 64 KiB every 50 ms. Defaults to `whole`. */
    delivery?: "whole" | "cut-short" | "slow";
};

export type FixtureRegistry = {
    /** With a trailing slash, as `resolveNpmRegistry` returns it. */
    url: string;
    /** Request paths in arrival order. */
    requests: string[];
    close(): Promise<void>;
};

export function getIntegrity(bytes: Buffer): string {
    return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/** A gzipped npm tarball of `files` (paths relative to `package/`); `symlinks` maps a path to its link target. */
export async function buildPackageTarball(name: string, version: string, files: Record<string, string | Buffer>, symlinks: Record<string, string> = {}): Promise<Buffer> {
    const staging = await mkdtemp(path.join(os.tmpdir(), "conpet-fixture-package-"));
    try {
        const root = path.join(staging, "package");
        const all: Record<string, string | Buffer> = {"package.json": JSON.stringify({name, version, type: "module", main: "dist/index.js"}), ...files};
        for (const [relative, content] of Object.entries(all)) {
            await mkdir(path.dirname(path.join(root, relative)), {recursive: true});
            await writeFile(path.join(root, relative), content);
        }
        for (const [relative, target] of Object.entries(symlinks)) {
            await mkdir(path.dirname(path.join(root, relative)), {recursive: true});
            await symlink(target, path.join(root, relative));
        }
        const file = path.join(staging, "package.tgz");
        await create({gzip: true, cwd: staging, file, portable: true}, ["package"]);
        return await readFile(file);
    } finally {
        await rm(staging, {recursive: true, force: true});
    }
}

export async function startFixtureRegistry(packages: readonly FixturePackage[]): Promise<FixtureRegistry> {
    const requests: string[] = [];
    let url = "";
    const tarballPath = (fixture: FixturePackage) => `/tarballs/${fixture.name.replace(/[@/]/g, "_")}-${fixture.version}.tgz`;
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const requestPath = request.url ?? "/";
        requests.push(requestPath);
        const document = packages.find((fixture) => requestPath === `/${fixture.name.replace("/", "%2f")}/${fixture.version}`);
        if (document !== undefined) {
            const integrity = document.documentIntegrity === undefined ? getIntegrity(document.tarball) : document.documentIntegrity;
            const dist = {tarball: new URL(tarballPath(document), url).href, ...(integrity === null ? {} : {integrity})};
            response.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify({name: document.name, version: document.version, dist}));
            return;
        }
        const tarball = packages.find((fixture) => requestPath === tarballPath(fixture));
        if (tarball === undefined) {
            response.writeHead(404, {"content-type": "application/json"}).end('{"error":"Not found"}');
            return;
        }
        response.writeHead(200, {"content-type": "application/octet-stream", "content-length": String(tarball.tarball.length)});
        if (tarball.delivery === "cut-short") {
            response.write(tarball.tarball.subarray(0, Math.floor(tarball.tarball.length / 2)), () => response.destroy());
            return;
        }
        if (tarball.delivery === "slow") {
            let offset = 0;
            const timer = setInterval(() => {
                if (response.destroyed) {
                    clearInterval(timer);
                    return;
                }
                const end = Math.min(tarball.tarball.length, offset + 64 * 1024);
                response.write(tarball.tarball.subarray(offset, end));
                offset = end;
                if (offset >= tarball.tarball.length) {
                    clearInterval(timer);
                    response.end();
                }
            }, 50);
            response.on("close", () => clearInterval(timer));
            return;
        }
        response.end(tarball.tarball);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return {
        url,
        requests,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        })
    };
}
