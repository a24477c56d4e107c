import {createHash} from "node:crypto";
import {createWriteStream} from "node:fs";
import {Readable, Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import type {ReadableStream as WebReadableStream} from "node:stream/web";
import {CancelledError, ConpetError} from "../vocabulary/errors";
import type {PinnedPackage} from "./readPinnedBackendPackages";
import {registryEnvVar} from "./resolveNpmRegistry";

/** Far above node-llama-cpp's largest package (`-cuda-ext`, 177 MB in 3.21.1): a server that sends more is wrong. */
export const maxTarballBytes = 1024 * 1024 * 1024;

export type DownloadPackageTarballOptions = {
    /** With a trailing slash (`resolveNpmRegistry`). */
    registry: string;
    pinned: PinnedPackage;
    /** The `.tgz` file to write. */
    destination: string;
    signal?: AbortSignal;
    /** Bytes received so far and the tarball's size (0 until the server says). */
    onProgress?: (receivedBytes: number, totalBytes: number) => void;
};

/**
 * Downloads a package's tarball as an npm client does: the registry's document for the pinned version gives the
 * tarball's URL, and the tarball is accepted only if its sha512 matches the pinned `integrity`. A download cut
 * short, a wrong size or hash, or any HTTP or network failure throws (`DOWNLOAD_FAILED`, `INTEGRITY_MISMATCH`)
 * and leaves a partial file the caller removes.
 */
export async function downloadPackageTarball({registry, pinned, destination, signal, onProgress}: DownloadPackageTarballOptions): Promise<void> {
    const expected = parseSha512Integrity(pinned.integrity);
    const label = `${pinned.name}@${pinned.version}`;
    const documentUrl = `${registry}${pinned.name.replace("/", "%2f")}/${encodeURIComponent(pinned.version)}`;
    const document = await fetchJson(documentUrl, label, signal);
    const dist = (document as {dist?: {tarball?: unknown; integrity?: unknown}}).dist;
    const tarballUrl = parseTarballUrl(dist?.tarball, label, documentUrl);
    if (typeof dist?.integrity === "string" && dist.integrity.includes("sha512-") && parseSha512Integrity(dist.integrity) !== expected)
        throw new ConpetError("INTEGRITY_MISMATCH", `The registry ${registry} offers a different ${label} than the one this build of ConPET pins (sha512 ${dist.integrity}, pinned ${pinned.integrity}); nothing was downloaded.`, {data: {package: pinned.name, registry}});

    const response = await fetchOrThrow(tarballUrl, label, signal);
    const totalBytes = Number(response.headers.get("content-length") ?? 0);
    if (totalBytes > maxTarballBytes)
        throw new ConpetError("DOWNLOAD_FAILED", `${tarballUrl} is ${totalBytes} bytes, more than ${maxTarballBytes}: not a node-llama-cpp package.`, {data: {url: tarballUrl}});
    const hash = createHash("sha512");
    let receivedBytes = 0;
    const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
            receivedBytes += chunk.byteLength;
            if (receivedBytes > maxTarballBytes) {
                callback(new ConpetError("DOWNLOAD_FAILED", `${tarballUrl} sent more than ${maxTarballBytes} bytes: not a node-llama-cpp package.`, {data: {url: tarballUrl}}));
                return;
            }
            hash.update(chunk);
            onProgress?.(receivedBytes, totalBytes);
            callback(null, chunk);
        }
    });
    try {
        if (response.body === null)
            throw new ConpetError("DOWNLOAD_FAILED", `${tarballUrl} answered without a body.`, {data: {url: tarballUrl}});
        await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(destination, {mode: 0o600}), ...(signal === undefined ? [] : [{signal}]));
    } catch (err) {
        if (signal?.aborted)
            throw new CancelledError("The GPU backend download was cancelled; nothing was installed.");
        if (ConpetError.is(err))
            throw err;
        if ((err as NodeJS.ErrnoException).code === "ENOSPC")
            throw new ConpetError("DISK_FULL", `The disk is full: ${label} could not be saved to ${destination}.`, {cause: err});
        throw new ConpetError("DOWNLOAD_FAILED", `The download of ${label} broke off after ${receivedBytes} of ${totalBytes > 0 ? totalBytes : "?"} bytes (${describeError(err)}); nothing was installed. Try again.`, {data: {url: tarballUrl, receivedBytes, totalBytes}, cause: err});
    }
    if (totalBytes > 0 && receivedBytes !== totalBytes)
        throw new ConpetError("DOWNLOAD_FAILED", `The download of ${label} was cut short: ${receivedBytes} of ${totalBytes} bytes; nothing was installed. Try again.`, {data: {url: tarballUrl, receivedBytes, totalBytes}});
    const actual = hash.digest("base64");
    if (actual !== expected)
        throw new ConpetError("INTEGRITY_MISMATCH", `The downloaded ${label} (${receivedBytes} bytes from ${tarballUrl}) does not match the sha512 pinned in this build (got sha512-${actual}, expected ${pinned.integrity}); it was discarded and nothing was installed.`, {data: {url: tarballUrl, package: pinned.name}});
}

/** The base64 sha512 digest of an SRI string (`sha512-…`, possibly among other hashes). */
function parseSha512Integrity(integrity: string): string {
    const digest = integrity.split(/\s+/).find((part) => part.startsWith("sha512-"))?.slice("sha512-".length).replace(/\?.*$/, "");
    if (digest === undefined || digest === "")
        throw new ConpetError("GPU_BACKEND_UNAVAILABLE", `No sha512 in the pinned integrity ${JSON.stringify(integrity)}.`);
    return digest;
}

function parseTarballUrl(value: unknown, label: string, documentUrl: string): string {
    if (typeof value === "string") {
        try {
            const url = new URL(value);
            if (url.protocol === "https:" || url.protocol === "http:")
                return url.href;
        } catch {
            // reported below
        }
    }
    throw new ConpetError("DOWNLOAD_FAILED", `The registry's document for ${label} (${documentUrl}) names no http(s) tarball.`, {data: {url: documentUrl}});
}

async function fetchJson(url: string, label: string, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await fetchOrThrow(url, label, signal, {accept: "application/json"});
    try {
        return await response.json();
    } catch (err) {
        if (signal?.aborted)
            throw new CancelledError("The GPU backend download was cancelled; nothing was installed.");
        throw new ConpetError("DOWNLOAD_FAILED", `The registry's document for ${label} (${url}) is not JSON: ${describeError(err)}.`, {data: {url}, cause: err});
    }
}

async function fetchOrThrow(url: string, label: string, signal: AbortSignal | undefined, headers: Record<string, string> = {}): Promise<Response> {
    let response: Response;
    try {
        response = await fetch(url, {headers, redirect: "follow", ...(signal === undefined ? {} : {signal})});
    } catch (err) {
        if (signal?.aborted)
            throw new CancelledError("The GPU backend download was cancelled; nothing was installed.");
        throw new ConpetError("DOWNLOAD_FAILED", `Could not reach ${url} for ${label}: ${describeError(err)}. Check the network, or point ${registryEnvVar} at a mirror.`, {data: {url}, cause: err});
    }
    if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new ConpetError("DOWNLOAD_FAILED", `${url} answered HTTP ${response.status} ${response.statusText} for ${label}.`, {data: {url, status: response.status}});
    }
    return response;
}

/** fetch's errors say "fetch failed" or "terminated"; the useful part is the cause (ECONNREFUSED, "other side closed"). */
function describeError(err: unknown): string {
    if (!(err instanceof Error))
        return String(err);
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `${err.message}${cause}`;
}
