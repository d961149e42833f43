import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension, type StateEffect } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import { markedLine, setMarkedLine } from './marked-line.ts';

/** A place in the text to mark as wrong: 1-based line and column, as the API reports them. */
export interface Marker {
  line: number;
  column: number;
  message: string;
}

interface Props {
  /** Names the editor for assistive technology (the visible label is the caller's). */
  label: string;
  id?: string;
  value: string;
  language: 'javascript' | 'json';
  readOnly?: boolean;
  onChange?: (value: string) => void;
  /** Ctrl/Cmd-S. */
  onSave?: () => void;
  /** Underlined at its column, its line highlighted with the message below; the caller clears it when the text changes. */
  marker?: Marker | null;
  /** A new key replaces the text with `value` (e.g. another version loaded). */
  resetKey?: unknown;
}

function diagnosticsFor(state: EditorState, marker: Marker | null | undefined): Diagnostic[] {
  if (!marker) return [];
  const line = state.doc.line(Math.min(Math.max(marker.line, 1), state.doc.lines));
  const from = Math.min(line.from + Math.max(marker.column - 1, 0), line.to);
  return [{ from, to: Math.max(from + 1, line.to), severity: 'error', message: marker.message }];
}

/** CodeMirror 6. Tab leaves the editor (no indentWithTab), so the page stays usable by keyboard. */
export function CodeEditor({ label, id, value, language, readOnly = false, onChange, onSave, marker, resetKey }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onSave });
  callbacks.current = { onChange, onSave };
  const editable = useRef(new Compartment());

  useEffect(() => {
    const extensions: Extension[] = [
      basicSetup,
      language === 'json' ? json() : javascript(),
      lintGutter(),
      markedLine,
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (callbacks.current.onSave?.(), true) }]),
      editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
      EditorView.contentAttributes.of({ 'aria-label': label, ...(id ? { id } : {}) }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) callbacks.current.onChange?.(update.state.doc.toString());
      }),
    ];
    const created = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    view.current = created;
    return () => created.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language, resetKey]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const diagnostics = diagnosticsFor(current.state, marker);
    const effects: StateEffect<unknown>[] = [setMarkedLine.of(marker ? { line: marker.line, message: marker.message } : null)];
    // A new mark is brought into view: it may be far down a long script.
    if (diagnostics[0]) effects.push(EditorView.scrollIntoView(diagnostics[0].from, { y: 'center' }));
    current.dispatch(setDiagnostics(current.state, diagnostics), { effects });
  }, [marker, resetKey]);

  return <div class="code-editor" ref={host} data-language={language} />;
}
