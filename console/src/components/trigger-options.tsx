/** The options of a trigger filter: all triggers, then each of the catalogue by its id. */
export function TriggerOptions({ triggers }: { triggers: readonly { id: string }[] }) {
  return (
    <>
      <option value="">All triggers</option>
      {triggers.map((t) => (
        <option key={t.id} value={t.id}>
          {t.id}
        </option>
      ))}
    </>
  );
}
