/**
 * Turns a user-given name (a task name) into one safe file or folder name on every platform:
 * letters and digits of any script, `.`, `-` and `_` are kept; everything else (separators,
 * `..`, control and reserved characters) becomes `_`. Windows device names get a prefix, and the
 * result is never empty, never starts with `.`, and is at most `maxLength` characters and
 * `maxBytes` bytes of UTF-8 (Linux limits a name to 255 bytes, so characters alone don't bound
 * it). Different names can map to the same result: callers that write several files de-duplicate.
 */
export function sanitizeFileName(name: string, {maxLength = defaultMaxFileNameLength, maxBytes = defaultMaxFileNameBytes, fallback = "unnamed"}: SanitizeFileNameOptions = {}): string {
    const kept = name
        .normalize("NFC")
        .replace(/[^\p{L}\p{N}._-]+/gu, "_")
        .replace(/^[._]+/, "");
    // Cut by code points, so a character outside the BMP is never split in half.
    let result = cutToBytes(Array.from(kept).slice(0, maxLength), maxBytes).replace(/[._]+$/, "");
    if (result === "")
        result = fallback;
    if (windowsReservedNames.test(result))
        result = cutToBytes(Array.from(`_${result}`).slice(0, maxLength), maxBytes);
    return result;
}

function cutToBytes(characters: string[], maxBytes: number): string {
    let bytes = 0;
    let end = 0;
    while (end < characters.length && bytes + Buffer.byteLength(characters[end]!) <= maxBytes)
        bytes += Buffer.byteLength(characters[end++]!);
    return characters.slice(0, end).join("");
}

export type SanitizeFileNameOptions = {
    /** Longest result, in characters (code points). Defaults to `defaultMaxFileNameLength` (`80`). */
    maxLength?: number;
    /**
     * Longest result in bytes of UTF-8. Defaults to `defaultMaxFileNameBytes` (`120`): room left in
     * the 255 bytes of a Linux file name for a suffix such as `-2.train.chat.jsonl`.
     */
    maxBytes?: number;
    /** The name used when nothing of the input is left. Defaults to `"unnamed"`. */
    fallback?: string;
};

export const defaultMaxFileNameLength = 80;
export const defaultMaxFileNameBytes = 120;

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 are devices on Windows, with or without an extension.
const windowsReservedNames = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
