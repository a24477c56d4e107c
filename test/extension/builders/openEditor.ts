import * as vscode from "vscode";

/**
 * Opens an untitled editor with `content` and selects `[start, end)` (character offsets; the whole
 * text by default). Returns the editor.
 */
export async function openEditorWithSelection(content: string, start = 0, end = content.length, language = "plaintext"): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument({content, language});
    const editor = await vscode.window.showTextDocument(document, {preview: false});
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(end));
    return editor;
}

/** Opens a file of the workspace and selects its `line` (0-based), whole. */
export async function openWorkspaceFileAtLine(relativePath: string, line: number): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined)
        throw new Error("No workspace folder is open");
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
    const editor = await vscode.window.showTextDocument(document, {preview: false});
    editor.selection = new vscode.Selection(line, 0, line, document.lineAt(line).text.length);
    return editor;
}

export async function closeAllEditors(): Promise<void> {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}
