// The sidebar chat (a webview view): HTML with a strict CSP, and the extension end of the message protocol.
import * as vscode from 'vscode';
import { classifyLink } from '../../../media/markdown';
import { openCitation } from '../navigate';
import { parseFromWebview, type FromWebview } from '../protocol';
import type { Log } from '../log';
import type { ChatController } from './chatController';
import { chatHtml } from './chatHtml';

export const CHAT_VIEW_ID = 'dea.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private ready = false;
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** Fires when the view's script has loaded and said hello (proof the CSP let it run). */
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly chat: ChatController, private readonly log: Log) {}

  get isReady(): boolean {
    return this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    view.webview.onDidReceiveMessage(raw => void this.receive(raw));
    // A hidden view loses its page: it says "ready" again when shown, and gets the whole state then.
    view.onDidChangeVisibility(() => { if (!view.visible) this.ready = false; });
    view.onDidDispose(() => {
      if (this.view === view) { this.view = undefined; this.ready = false; this.chat.detach(); }
    });
  }

  /** Shows the view (resolving it if needed) and waits until its script is running. */
  async reveal(): Promise<void> {
    if (!this.ready) {
      const ready = new Promise<void>(r => { const d = this.onDidBecomeReady(() => { d.dispose(); r(); }); });
      await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
      await Promise.race([ready, new Promise(r => setTimeout(r, 10_000))]);
    } else {
      this.view?.show(true);
    }
  }

  /** A message from the view (untrusted: checked against the protocol first). Public for the extension-host tests. */
  async receive(raw: unknown): Promise<void> {
    const m = parseFromWebview(raw);
    if (!m) { this.log.warn(`chat view sent an unknown message: ${JSON.stringify(raw)?.slice(0, 200)}`); return; }
    await this.handle(m).catch(e => this.log.error('chat view action failed', e));
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.chat.attach(msg => void this.view?.webview.postMessage(msg));
        this.readyEmitter.fire();
        return;
      case 'ask': await this.chat.ask(m.question); return;
      case 'stop': this.chat.stop(m.id); return;
      case 'clearHistory': await this.chat.clear(); return;
      case 'chooseModel': await vscode.commands.executeCommand('dea.chooseModel'); return;
      case 'openCitation': await openCitation(m.citation, this.chat.folderOf(m.turnId)); return;
      case 'openLink': return this.openLink(m.href);
      case 'codeAction': return codeAction(m.action, m.code, m.language);
      case 'confirmQuery':
        if (!this.chat.resolveConfirmation(m.queryId, m.approved)) this.log.warn('a query confirmation arrived for no waiting query (already answered or stopped)');
        return;
      case 'resultAction': await this.chat.resultAction(m.turnId, m.action, m.sort); return;
      case 'proposeEdit': await this.chat.proposeEdit(m.turnId, m.kind, m.target); return;
    }
  }

  private async openLink(href: string): Promise<void> {
    const target = classifyLink(href);
    if (target?.kind === 'external') await vscode.env.openExternal(vscode.Uri.parse(target.href, true));
    else if (target?.kind === 'file') await openCitation({ path: target.path, kind: 'file', ...(target.line ? { startLine: target.line, endLine: target.line } : {}) });
    else this.log.warn(`blocked a link from the chat: ${href.slice(0, 200)}`);
  }

  dispose(): void {
    this.readyEmitter.dispose();
  }
}

async function codeAction(action: 'copy' | 'insert' | 'openSql', code: string, language?: string): Promise<void> {
  if (action === 'copy') {
    await vscode.env.clipboard.writeText(code);
    return;
  }
  if (action === 'openSql') {
    const doc = await vscode.workspace.openTextDocument({ language: language && language !== 'sql' && language !== 'code' ? language : 'sql', content: code });
    await vscode.window.showTextDocument(doc, { preview: false });
    return;
  }
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and place the cursor where the code should go, then choose Insert again.');
    return;
  }
  await editor.edit(b => { for (const s of editor.selections) b.replace(s, code); });
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}
