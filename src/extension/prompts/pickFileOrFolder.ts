import * as vscode from "vscode";

export type PickFileOrFolderOptions = {
    /** The quick pick's two choices: a file of `filters`, or a folder. */
    file: {label: string; description?: string; filters: Record<string, string[]>};
    folder: {label: string; description?: string};
    placeHolder: string;
    /** The open dialog's title. */
    title: string;
};

/** Asks whether the source is a file or a folder (a dialog picks one or the other), then shows the open dialog. */
export async function pickFileOrFolder({file, folder, placeHolder, title}: PickFileOrFolderOptions): Promise<string | undefined> {
    const kind = await vscode.window.showQuickPick([{...file, folders: false}, {...folder, folders: true}], {placeHolder, ignoreFocusOut: true});
    if (kind === undefined)
        return undefined;
    const uris = await vscode.window.showOpenDialog({
        canSelectFiles: !kind.folders,
        canSelectFolders: kind.folders,
        canSelectMany: false,
        filters: kind.folders ? undefined : file.filters,
        openLabel: "Import",
        title
    });
    return uris?.[0]?.fsPath;
}
