/** `text` with Markdown's special characters escaped, for names shown in Markdown. */
export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&");
}
