/** Mirrors the store's rule (non-empty, ≤ 100 characters, no control characters) for live feedback in input boxes. Path characters are allowed: names are never used raw as file names. */
export function validateTaskName(name: string): string | undefined {
    const trimmed = name.trim();
    if (trimmed === "")
        return "The name cannot be empty.";
    if (trimmed.length > 100)
        return "Keep the name to 100 characters or fewer.";
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(trimmed))
        return "The name cannot contain control characters or line breaks.";
    return undefined;
}
