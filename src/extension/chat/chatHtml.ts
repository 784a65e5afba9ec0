// The chat view's HTML: a strict Content-Security-Policy (no remote anything, scripts only with this load's
// nonce), the bundled script and stylesheet from the extension, and labelled controls.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    "connect-src 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Data Engineering Agent</title>
</head>
<body>
<header id="status" role="status" aria-live="polite">
  <span id="status-text">starting…</span>
  <button type="button" id="model" title="Choose the language model" aria-label="Choose the language model">offline answers</button>
  <button type="button" id="clear" title="Clear the conversation" aria-label="Clear the conversation">Clear</button>
</header>
<main id="log" role="log" aria-label="Conversation" tabindex="-1">
  <section id="empty" aria-label="Getting started">
    <p>Ask about your dbt project: models, columns, lineage, tests, who changed what. Every answer cites its sources.</p>
    <ul id="examples" class="follow-ups" aria-label="Example questions"></ul>
  </section>
</main>
<form id="ask-form" aria-label="Ask a question">
  <textarea id="question" rows="1" aria-label="Question. Enter sends, Shift+Enter adds a line, Up and Down recall earlier questions" title="Enter sends · Shift+Enter new line · ↑/↓ earlier questions · Esc stops" placeholder="Ask about your dbt project…"></textarea>
  <button type="submit" id="send" class="primary" aria-label="Ask">Ask</button>
  <button type="button" id="stop" aria-label="Stop the answer" hidden>Stop</button>
</form>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
