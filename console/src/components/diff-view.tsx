import { javascript } from '@codemirror/lang-javascript';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';

/** Two scripts side by side, read-only, with their differences highlighted. */
export function DiffView({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const side = (label: string, doc: string) => ({
      doc,
      extensions: [basicSetup, javascript(), EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ 'aria-label': label })],
    });
    const view = new MergeView({ parent: host.current!, a: side(beforeLabel, before), b: side(afterLabel, after), collapseUnchanged: { margin: 3, minSize: 6 } });
    return () => view.destroy();
  }, [before, after, beforeLabel, afterLabel]);
  return <div class="diff-view" ref={host} />;
}
