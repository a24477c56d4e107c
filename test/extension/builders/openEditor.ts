import * as vscode from "vscode";

/**
 * Opens an untitled editor with `content` and selects `[start, end)` (character offsets; the whole
 * text by default). Returns the editor.
 */
export async function openEditorWithSelection(content: string, start = 0, end = content.length, language = "plaintext"): Promise<vscode.TextEditor> {
    const document = await openUntitledDocument(content, language);
    const editor = await vscode.window.showTextDocument(document, {preview: false});
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(end));
    await waitUntilActive(document);
    return editor;
}

/**
 * A new untitled document with `content`. Right after `closeAllEditors`, VS Code may hand back the closed
 * `Untitled-1` (with its old text) until the extension host hears it was disposed; this waits that out.
 */
async function openUntitledDocument(content: string, language: string): Promise<vscode.TextDocument> {
    const deadline = Date.now() + 10_000;
    for (;;) {
        const document = await vscode.workspace.openTextDocument({content, language});
        if (document.getText() === content)
            return document;
        if (Date.now() > deadline)
            throw new Error(`A new untitled document still holds another text: ${JSON.stringify(document.getText().slice(0, 80))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/**
 * The extension host learns which editor is active in a message of its own, which can come after
 * `showTextDocument` resolved: a command run at once could still read the previous editor.
 */
async function waitUntilActive(document: vscode.TextDocument): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (vscode.window.activeTextEditor?.document !== document) {
        if (Date.now() > deadline)
            throw new Error("The opened editor did not become the active one");
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** Opens a file of the workspace and selects its `line` (0-based), whole. */
export async function openWorkspaceFileAtLine(relativePath: string, line: number): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined)
        throw new Error("No workspace folder is open");
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
    const editor = await vscode.window.showTextDocument(document, {preview: false});
    editor.selection = new vscode.Selection(line, 0, line, document.lineAt(line).text.length);
    await waitUntilActive(document);
    return editor;
}

export async function closeAllEditors(): Promise<void> {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}
