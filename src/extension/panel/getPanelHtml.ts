import {randomBytes} from "node:crypto";
import * as vscode from "vscode";

/**
 * The panel's page: a strict CSP (`default-src 'none'`, the script only with a nonce made fresh
 * for every render, styles and fonts only from the webview's own resource origin), one stylesheet
 * from `media/` and the bundled script from `dist/`. No inline script or style.
 */
export function getPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const nonce = randomBytes(16).toString("base64");
    const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview-panel.js"));
    const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "panel.css"));
    const csp = [
        "default-src 'none'",
        `img-src ${webview.cspSource} data:`,
        `style-src ${webview.cspSource}`,
        `font-src ${webview.cspSource}`,
        `script-src 'nonce-${nonce}'`
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>ConPET</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading ConPET status…</p></main>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
