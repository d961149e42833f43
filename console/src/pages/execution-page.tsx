import { ExecutionView } from '../components/execution-view.tsx';
import { href } from '../router.ts';

/** One execution, its lines followed live while it runs. */
export function ExecutionPage({ id }: { id: string }) {
  return (
    <section aria-labelledby="execution-title">
      <p>
        <a href={href('executions')}>← Executions</a>
      </p>
      <h1 id="execution-title">Execution</h1>
      <ExecutionView key={id} id={id} />
    </section>
  );
}
