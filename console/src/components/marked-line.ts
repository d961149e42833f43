import { StateEffect, StateField, type EditorState } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';

/** The line to mark (1-based, as the API reports it) and what to say under it; null clears. */
export const setMarkedLine = StateEffect.define<{ line: number; message: string } | null>();

/** The message, shown as a block under the marked line, so it reads next to the code it is about. */
class MessageWidget extends WidgetType {
  constructor(readonly message: string) {
    super();
  }
  override eq(other: MessageWidget) {
    return other.message === this.message;
  }
  toDOM() {
    const note = document.createElement('div');
    note.className = 'cm-marked-message';
    note.textContent = this.message;
    return note;
  }
}

function decorate(state: EditorState, mark: { line: number; message: string }): DecorationSet {
  const line = state.doc.line(Math.min(Math.max(mark.line, 1), state.doc.lines));
  return Decoration.set([
    Decoration.line({ class: 'cm-marked-line' }).range(line.from),
    Decoration.widget({ widget: new MessageWidget(mark.message), block: true, side: 1 }).range(line.to),
  ]);
}

/**
 * A highlighted line with its message below it (the lint extension underlines the column and puts
 * the gutter marker). Any edit of the text clears it: the message was about the text as it was.
 */
export const markedLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(setMarkedLine)) return effect.value ? decorate(tr.state, effect.value) : Decoration.none;
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});
