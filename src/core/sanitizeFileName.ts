/**
 * Turns a user-given name (a task name) into one safe file or folder name on every platform:
 * letters and digits of any script, `.`, `-` and `_` are kept; everything else (separators,
 * `..`, control and reserved characters) becomes `_`. Windows device names get a suffix, and the
 * result is never empty, never starts with `.` and is at most `maxLength` characters. Different
 * names can map to the same result: callers that write several files de-duplicate.
 */
export function sanitizeFileName(name: string, {maxLength = defaultMaxFileNameLength, fallback = "unnamed"}: SanitizeFileNameOptions = {}): string {
    const kept = name
        .normalize("NFC")
        .replace(/[^\p{L}\p{N}._-]+/gu, "_")
        .replace(/^[._]+/, "");
    // Cut by code points, so a character outside the BMP is never split in half.
    let result = Array.from(kept).slice(0, maxLength).join("").replace(/[._]+$/, "");
    if (result === "")
        result = fallback;
    if (windowsReservedNames.test(result))
        result = `_${result}`.slice(0, maxLength);
    return result;
}

export type SanitizeFileNameOptions = {
    /** Longest result, in characters (code points). Defaults to `defaultMaxFileNameLength` (`80`). */
    maxLength?: number;
    /** The name used when nothing of the input is left. Defaults to `"unnamed"`. */
    fallback?: string;
};

export const defaultMaxFileNameLength = 80;

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 are devices on Windows, with or without an extension.
const windowsReservedNames = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
