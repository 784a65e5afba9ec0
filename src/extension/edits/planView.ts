// A proposed plan as a read-only markdown document (scheme dea-plan): why each change is proposed, the evidence, the
// warnings and the sources. Shown beside the refactor preview while the user decides, and closed after; for a plan
// that cannot be offered it lists the problems instead (and stays open).
import * as vscode from 'vscode';
import type { EditPlan } from '../../core/edits/types';
import type { Problem } from '../../core/types';
import { describeChange } from './editRanges';

export const PLAN_SCHEME = 'dea-plan';

export class PlanView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private next = 0;
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The markdown of the last plan shown (tests read it). */
  lastText?: string;

  /** Opens the plan's document beside the active editor without taking focus; resolves to a closer. */
  async show(plan: EditPlan, blocked: Problem[] = []): Promise<{ uri: vscode.Uri; close(): Promise<void> }> {
    const text = renderPlan(plan, blocked);
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${slug(plan.title)}.md`, query: String(++this.next) });
    this.texts.set(uri.toString(), text);
    this.lastText = text;
    const doc = await vscode.workspace.openTextDocument(uri);
    await Promise.resolve(vscode.languages.setTextDocumentLanguage(doc, 'markdown')).catch(() => undefined);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return { uri, close: () => this.close(uri) };
  }

  private async close(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
    this.texts.delete(key);
  }

  dispose(): void {
    this.emitter.dispose();
    this.texts.clear();
  }
}

/** The plan as markdown: title, explanation, the changes, warnings, problems that block it, sources. */
export function renderPlan(plan: EditPlan, blocked: Problem[] = []): string {
  const out = [`# ${plan.title}`, ''];
  if (blocked.length) {
    out.push('**Not offered for approval**: the plan has problems that must be fixed first. Nothing was changed.', '');
    out.push(...blocked.map(p => `- ${where(p)}${p.message}`), '');
  }
  if (plan.explanation.trim()) out.push(plan.explanation.trim(), '');
  if (plan.changes.length) {
    out.push(`## ${blocked.length ? 'Changes it would make' : 'Proposed changes'} (tick the ones to apply in the Refactor Preview)`, '');
    out.push(...plan.changes.map(c => `- ${describeChange(c)}`), '');
  }
  const notes = plan.problems.filter(p => !blocked.includes(p));
  if (notes.length) out.push('## Notes', '', ...notes.map(p => `- ${p.severity}: ${where(p)}${p.message}`), '');
  if (plan.citations.length) {
    out.push('## Sources', '', ...plan.citations.map(c => `- \`${c.path}\`${c.startLine ? `:${c.startLine}${c.endLine && c.endLine !== c.startLine ? `-${c.endLine}` : ''}` : ''}${c.title ? ` — ${c.title}` : ''}`), '');
  }
  return out.join('\n');
}

function where(p: Problem): string {
  return p.path ? `\`${p.path}${p.line ? `:${p.line}` : ''}\`: ` : '';
}

function slug(title: string): string {
  return title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'plan';
}
