import { useEffect, useId, useState } from 'preact/hooks';
import { useQuery } from '../api.ts';
import { HOOK_NAME, HOOKS } from '../documents.ts';

/** Suggestions shown at once: enough to pick from, few enough to read; typing narrows the rest. */
const SUGGESTIONS = 20;

interface Choice {
  id: string;
  name: string;
}

const ALL: Choice = { id: '', name: 'All hooks' };

/**
 * A hook chosen by typing part of its name (a WAI-ARIA combobox with a list popup): each change
 * asks the API for the hooks whose name contains the text, so every hook of the tenant can be
 * reached, however many there are. Shows the chosen hook's name; `hookId` '' means all hooks.
 */
export function HookPicker({ label, hookId, onChange }: { label: string; hookId: string; onChange: (hookId: string) => void }) {
  const inputId = useId();
  const listId = `${inputId}-list`;
  const [chosen, setChosen] = useState<Choice | null>(hookId ? null : ALL);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  // A hook given by id alone (a link to ?hook=…): its name is asked for once.
  const named = useQuery<{ hook: Choice | null }>(HOOK_NAME, { id: hookId }, !hookId || chosen?.id === hookId);
  useEffect(() => {
    if (named.data) setChosen(named.data.hook ?? { id: hookId, name: 'Unknown hook' });
  }, [named.data]);
  const shown = chosen && chosen.id !== '' ? chosen.name : '';

  const found = useQuery<{ hooks: { edges: { node: Choice }[]; pageInfo: { hasNextPage: boolean } } }>(
    HOOKS,
    { first: SUGGESTIONS, filter: { nameContains: text || undefined } },
    !open,
  );
  const matches = found.data?.hooks.edges.map((e) => e.node) ?? [];
  // "All hooks" is offered until a name is typed: then Enter takes the first match.
  const options = text ? matches : [ALL, ...matches];
  const more = found.data?.hooks.pageInfo.hasNextPage ?? false;

  function pick(choice: Choice) {
    setChosen(choice);
    setOpen(false);
    setText('');
    if (choice.id !== hookId) onChange(choice.id);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return setOpen(true), setActive(0);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const choice = options[active];
      if (choice) pick(choice);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setText('');
    }
  }

  const optionId = (i: number) => `${listId}-${i}`;
  useEffect(() => {
    if (open) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [open, active]);
  return (
    <div class="field picker">
      <label for={inputId}>{label}</label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options[active] ? optionId(active) : undefined}
        placeholder="All hooks"
        autocomplete="off"
        spellcheck={false}
        value={open ? text : shown}
        onClick={() => setOpen(true)}
        onInput={(e) => (setText(e.currentTarget.value), setOpen(true), setActive(0))}
        onKeyDown={onKeyDown}
        onBlur={() => (setOpen(false), setText(''))}
      />
      <div class="popup" hidden={!open}>
        <ul id={listId} role="listbox" aria-label={`${label}s`} aria-busy={found.loading}>
          {options.map((choice, i) => (
            <li
              key={choice.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              class={choice.id === (chosen?.id ?? hookId) ? 'chosen' : undefined}
              // mousedown, not click: the choice is made before the input's blur closes the list.
              onMouseDown={(e) => (e.preventDefault(), pick(choice))}
            >
              {choice.name}
            </li>
          ))}
        </ul>
        {text && found.data && matches.length === 0 && <p class="muted">No hook's name contains “{text}”.</p>}
        {more && <p class="muted">More hooks match: type more of the name.</p>}
      </div>
    </div>
  );
}
