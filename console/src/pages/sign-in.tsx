import { useState } from 'preact/hooks';

/** Asks for an API token; it stays in this tab only and never goes into a URL. */
export function SignIn({ onSignIn, error }: { onSignIn: (token: string) => void; error?: string }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>hookgate console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) onSignIn(token.trim());
        }}
      >
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <p class="hint">Kept in this browser tab only, and sent as a bearer header: closing the tab forgets it.</p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit">Open</button>
      </form>
    </main>
  );
}
